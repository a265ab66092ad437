{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        indexes=[{'columns': ['employee_key', 'calendar_year'], 'unique': true}, {'columns': ['calendar_year']}],
        pre_hook="{{ replace_touched('employee_key', touched_employees()) }}",
        post_hook="{{ record_watermark() }}",
    )
}}

with

-- In an incremental run every year of the employees the new load batches touch (macros/incremental/touched_keys.sql).
employee_years as (

    select * from {{ ref('int_employee_years') }}
    where {{ is_touched('employee_key') }}

),

appraisals as (

    select * from {{ ref('fct_performance_appraisal') }}
    where {{ is_touched('employee_key') }}

),

assessments as (

    select * from {{ ref('int_assessment_jpm') }}
    where {{ is_touched('employee_key') }}

),

predikat_matrix as (

    select * from {{ ref('ref_skp_predikat_matrix') }}

),

{{ annual_appraisals_cte('appraisals', 'predikat_matrix') }},

-- The latest assessment before 1 January and the first after 31 December.
year_assessment_dates as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        max(assessments.assessment_date) filter (
            where assessments.assessment_date < make_date(employee_years.calendar_year, 1, 1)
        ) as before_date,
        min(assessments.assessment_date) filter (
            where assessments.assessment_date > make_date(employee_years.calendar_year, 12, 31)
        ) as after_date

    from employee_years

    inner join assessments
        on employee_years.employee_key = assessments.employee_key

    group by employee_years.employee_key, employee_years.calendar_year

),

{{ assessment_jpm_ctes('assessments', 'year_assessment_dates', ['employee_key', 'calendar_year']) }},

final as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        coalesce(employee_years.status_group, '') as status_group_key,
        coalesce(employee_years.position_type, '') as position_type_key,
        {{ appraisal_change_columns() }},
        assessment_jpm.jpm_before_pct,
        assessment_jpm.jpm_after_pct,
        assessment_jpm.jpm_before_pct is not null and assessment_jpm.jpm_after_pct is not null as is_jpm_paired

    from employee_years

    {{ appraisal_change_joins('employee_years', 'calendar_year') }}

    left join assessment_jpm
        on
            employee_years.employee_key = assessment_jpm.employee_key
            and employee_years.calendar_year = assessment_jpm.calendar_year

)

select * from final
