with

competency_levels as (

    select * from {{ ref('stg_assessment__kompetensi') }}

),

history as (

    select * from {{ ref('int_employee_history') }}

),

-- The event's own attributes from its most recently loaded row, so that an event whose rows came from
-- different deliveries still has one date and one person.
events as (

    select distinct on (assessment_id)
        assessment_id,
        employee_nip,
        assessment_date,
        method

    from competency_levels

    order by assessment_id asc, loaded_at desc, source_file_id desc, source_row_number desc

),

scores as (

    select
        competency_levels.assessment_id,
        count(*)::integer as competency_count,
        count(*) filter (
            where competency_levels.assessed_level < competency_levels.standard_level
        )::integer as gap_count,
        {{ jpm_score_pct('competency_levels.assessed_level', 'competency_levels.standard_level') }} as jpm_pct

    from competency_levels

    group by competency_levels.assessment_id

),

-- OPD at the assessment date: the employee's SIASN history version in effect on that date or, for a date
-- before the first snapshot that shows the employee (or after they left), the nearest version.
event_organizations as (

    select distinct on (events.assessment_id)
        events.assessment_id,
        history.opd_code

    from events

    inner join history
        on events.employee_nip = history.employee_nip

    order by
        events.assessment_id asc,
        {{ history_version_distance('events.assessment_date', 'history') }} asc,
        history.valid_from desc

),

final as (

    select
        md5(events.assessment_id) as assessment_key,
        events.assessment_id,
        events.employee_nip,
        {{ employee_key('events.employee_nip') }} as employee_key,
        events.assessment_date,
        extract(year from events.assessment_date)::integer as assessment_year,
        events.method,
        scores.competency_count,
        scores.gap_count,
        scores.jpm_pct,
        {{ jpm_category('scores.jpm_pct') }} as jpm_category,
        {{ pembina_setting('jpm_active_scale') }} as jpm_scale_code,
        event_organizations.opd_code,
        row_number() over (
            partition by events.employee_nip
            order by events.assessment_date desc, events.assessment_id desc
        ) = 1 as is_latest_assessment

    from events

    inner join scores
        on events.assessment_id = scores.assessment_id

    left join event_organizations
        on events.assessment_id = event_organizations.assessment_id

)

select * from final
