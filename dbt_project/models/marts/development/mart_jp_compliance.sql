{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ replace_touched('employee_key', touched_employees(by_year=true), year_column='calendar_year') }}",
        post_hook="{{ record_watermark() }}",
    )
}}

with

-- In an incremental run the years of the employees the new load batches touch that they can change
-- (macros/incremental/touched_keys.sql).
employee_years as (

    select * from {{ ref('int_employee_years') }}
    where {{ is_touched('employee_key', 'calendar_year') }}

),

participations as (

    select * from {{ ref('int_development_activities') }}
    where {{ is_touched('employee_key', 'training_year') }}

),

-- JP credited per employee and year (the year of the end date); only passed participation is credited, a
-- training reported twice once, and a credited university internship or short course with it.
yearly_training as (

    select
        employee_key,
        training_year as calendar_year,
        sum(jp_credited) as total_jp,
        sum(jp_credited) filter (where training_type = 'klasikal') as jp_klasikal,
        sum(jp_credited) filter (where training_type = 'e_learning') as jp_e_learning,
        sum(jp_credited) filter (where training_type not in ('klasikal', 'e_learning')) as jp_other,
        count(*) filter (where is_completed) as trainings_completed

    from participations

    group by employee_key, training_year

),

-- Every employee with time in service in the year (int_employee_years), trained or not. The yearly minimum
-- binds the status groups of the setting jp_duty_status_groups (PNS); for a part year it is pro-rated by the
-- days in service when the setting jp_part_year_minimum is `prorate`.
measured as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        employee_years.opd_code,
        employee_years.status_group,
        employee_years.is_complete_year,
        employee_years.days_in_service,
        employee_years.service_share,
        employee_years.is_full_year,
        employee_years.left_service_date,
        employee_years.status_group = any(
            string_to_array({{ pembina_setting('jp_duty_status_groups') }}, ',')
        ) as is_jp_duty,
        round(coalesce(yearly_training.total_jp, 0), 2) as total_jp,
        round(coalesce(yearly_training.jp_klasikal, 0), 2) as jp_klasikal,
        round(coalesce(yearly_training.jp_e_learning, 0), 2) as jp_e_learning,
        round(coalesce(yearly_training.jp_other, 0), 2) as jp_other,
        coalesce(yearly_training.trainings_completed, 0)::integer as trainings_completed,
        {{ jp_minimum_in_service('employee_years.days_in_service', 'employee_years.year_days') }}
            as jp_minimum_in_service,
        employee_years.year_days

    from employee_years

    left join yearly_training
        on
            employee_years.employee_key = yearly_training.employee_key
            and employee_years.calendar_year = yearly_training.calendar_year

),

final as (

    select
        measured.employee_key,
        measured.calendar_year,
        measured.opd_code,
        measured.status_group,
        measured.total_jp,
        measured.jp_klasikal,
        measured.jp_e_learning,
        measured.jp_other,
        measured.trainings_completed,
        measured.is_jp_duty,
        case
            when measured.is_jp_duty
                then
                    {{ meets_jp_yearly_minimum('measured.total_jp', 'measured.days_in_service', 'measured.year_days') }}
        end as meets_jp_minimum,
        case
            when measured.is_jp_duty then round(greatest(measured.jp_minimum_in_service - measured.total_jp, 0), 2)
        end as jp_shortfall,
        case when measured.is_jp_duty then measured.jp_minimum_in_service end as jp_minimum,
        measured.days_in_service,
        measured.service_share,
        measured.is_full_year,
        measured.left_service_date,
        measured.is_complete_year

    from measured

)

select * from final
