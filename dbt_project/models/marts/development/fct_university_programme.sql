-- depends_on: {{ ref('dim_university') }} (built before the fact, whose university_code it checks)

with

programmes as (

    select * from {{ ref('int_university_programme_latest') }}

),

credits as (

    select * from {{ ref('ref_university_jp_credit') }}

),

history as (

    select * from {{ ref('int_employee_history') }}

),

-- The SIASN OPD at the start date (macros/history_spans.sql).
history_spans as (

    {{ history_spans('history') }}

),

located as (

    select
        programmes.*,
        history_spans.opd_code

    from programmes

    left join history_spans
        on
            programmes.employee_nip = history_spans.employee_nip
            and programmes.start_date >= history_spans.stands_from
            and programmes.start_date < history_spans.stands_to

),

-- JP of a programme the seed credits (a passed internship or short course): its working days, Monday to
-- Friday with the start and end included, converted like a vendor's duration in days.
credited as (

    select
        located.*,
        credits.training_type,
        credits.ip_asn_training_item,
        coalesce(credits.is_credited, false) as is_credited,
        case
            when credits.is_credited
                then trim_scale({{ training_jp('credits.training_type', 'working_days.day_count', "'days'") }})
        end as jp

    from located

    left join credits
        on located.program_type = credits.program_type

    cross join lateral (
        select count(*)::numeric as day_count
        from generate_series(located.start_date, located.end_date, interval '1 day') as programme_day
        where credits.is_credited and extract(isodow from programme_day) < 6
    ) as working_days

),

final as (

    select
        md5(
            concat_ws(
                '|',
                {{ employee_key('employee_nip') }},
                university_code,
                program_name,
                start_date::text
            )
        ) as programme_participation_key,
        {{ employee_key('employee_nip') }} as employee_key,
        university_code,
        program_name,
        program_type,
        degree_level,
        start_date,
        end_date,
        status,
        status = 'passed' as is_completed,
        credits,
        gpa,
        grade_letter,
        final_score,
        first_report_year,
        last_report_year,
        opd_code,
        training_type,
        is_credited,
        jp,
        case when is_credited and status = 'passed' then jp else 0 end as jp_credited,
        date_part('year', end_date)::integer as training_year,
        ip_asn_training_item

    from credited

)

select * from final
