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

{{ annual_appraisal_series_cte('appraisals', 'predikat_matrix') }},

{{ assessment_series_cte('assessments') }},

final as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        coalesce(employee_years.status_group, '') as status_group_key,
        coalesce(employee_years.position_type, '') as position_type_key,
        {{ appraisal_change_columns('annual_appraisal_series', 'employee_years.calendar_year') }},
        -- the latest assessment before 1 January and the first after 31 December
        {{ jpm_change_columns(
            'assessment_series',
            'make_date(employee_years.calendar_year - 1, 12, 31)',
            'make_date(employee_years.calendar_year, 12, 31)'
        ) }}

    from employee_years

    left join annual_appraisal_series
        on employee_years.employee_key = annual_appraisal_series.employee_key

    left join assessment_series
        on employee_years.employee_key = assessment_series.employee_key

)

select * from final
