{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        indexes=[{'columns': ['employee_key', 'calendar_year'], 'unique': true}],
        pre_hook="{{ replace_touched(
            'employee_key',
            touched_employees(also=participants_of_changed_programmes(), by_year=true),
            year_column='calendar_year',
        ) }}",
        post_hook="{{ record_watermark() }}",
    )
}}

-- depends_on: {{ ref('int_training_program_versions') }} (participants_of_changed_programmes, in the pre-hook)

with

-- In an incremental run the years of the employees the new load batches touch that they can change, with
-- their employees' training of every year (a leadership or functional training counts in the years after it)
-- (macros/incremental/touched_keys.sql).
employee_years as (

    select * from {{ ref('int_employee_years') }}
    where {{ is_touched('employee_key', 'calendar_year') }}

),

participations as (

    select * from {{ ref('int_development_activities') }}
    where {{ is_touched('employee_key') }}

),

programs as (

    select * from {{ ref('dim_training_program') }}

),

leadership_levels as (

    select * from {{ ref('ref_ip_asn_leadership_training') }}

),

-- Completed (passed) trainings and credited university programmes only, each training once. A seminar is
-- any training of the ref_jp_conversion type `seminar` whose programme carries no IP ASN item of its own, or
-- a university programme ref_university_jp_credit counts as one (an internship, a short course).
completed as (

    select
        participations.employee_key,
        participations.training_year,
        participations.jp,
        participations.jp_credited,
        programs.program_code,
        coalesce(
            programs.ip_asn_training_item,
            participations.ip_asn_training_item,
            case when participations.training_type = 'seminar' then 'seminar' end
        ) as ip_asn_training_item

    from participations

    left join programs
        on participations.program_key = programs.program_key

    where participations.is_completed

),

trainings_in_year as (

    select
        completed.employee_key,
        completed.training_year,
        round(sum(completed.jp_credited), 2) as jp_total,
        count(*)::integer as completed_training_count,
        bool_or(
            completed.ip_asn_training_item = 'technical'
            and completed.jp >= {{ pembina_setting('ip_asn_technical_training_minimum_jp', 'numeric') }}
        ) as has_technical_training_minimum_jp,
        bool_or(completed.ip_asn_training_item = 'seminar') as has_seminar

    from completed

    group by completed.employee_key, completed.training_year

),

-- Leadership training counts when completed in the year or an earlier year on record and when it is the
-- leadership training of the level of the post held in the year (ref_ip_asn_leadership_training).
leadership_to_year as (

    select
        employee_years.employee_key,
        employee_years.calendar_year

    from employee_years

    inner join completed
        on
            employee_years.employee_key = completed.employee_key
            and employee_years.calendar_year >= completed.training_year
            and completed.ip_asn_training_item = 'leadership'

    inner join leadership_levels
        on
            completed.program_code = leadership_levels.program_code
            and employee_years.position_level = leadership_levels.position_level

    group by employee_years.employee_key, employee_years.calendar_year

),

-- Functional training counts when completed in the year or an earlier year on record, whatever the post.
functional_to_year as (

    select
        employee_years.employee_key,
        employee_years.calendar_year

    from employee_years

    inner join completed
        on
            employee_years.employee_key = completed.employee_key
            and employee_years.calendar_year >= completed.training_year
            and completed.ip_asn_training_item = 'functional'

    group by employee_years.employee_key, employee_years.calendar_year

),

final as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        coalesce(trainings_in_year.jp_total, 0) as jp_total,
        coalesce(trainings_in_year.completed_training_count, 0) as completed_training_count,
        leadership_to_year.employee_key is not null as has_leadership_training_at_level,
        functional_to_year.employee_key is not null as has_functional_training,
        coalesce(trainings_in_year.has_technical_training_minimum_jp, false) as has_technical_training_minimum_jp,
        coalesce(trainings_in_year.has_seminar, false) as has_seminar

    from employee_years

    left join trainings_in_year
        on
            employee_years.employee_key = trainings_in_year.employee_key
            and employee_years.calendar_year = trainings_in_year.training_year

    left join leadership_to_year
        on
            employee_years.employee_key = leadership_to_year.employee_key
            and employee_years.calendar_year = leadership_to_year.calendar_year

    left join functional_to_year
        on
            employee_years.employee_key = functional_to_year.employee_key
            and employee_years.calendar_year = functional_to_year.calendar_year

)

select * from final
