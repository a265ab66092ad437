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

-- The OPD at the start date: that of the SIASN history version covering the date, else, for a date before
-- the employee's first snapshot (or between two), that of the next version.
located as (

    select distinct on (
        programmes.university_code, programmes.employee_nip, programmes.program_name, programmes.start_date
    )
        programmes.*,
        history.opd_code

    from programmes

    -- versions not ended by the date; the earliest of them covers it, or is the next one
    left join history
        on
            programmes.employee_nip = history.employee_nip
            and (history.valid_to is null or programmes.start_date < history.valid_to)

    order by
        programmes.university_code asc,
        programmes.employee_nip asc,
        programmes.program_name asc,
        programmes.start_date asc,
        history.valid_from asc

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
