{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        indexes=[
            {'columns': ['employee_key', 'training_year', 'training_type', 'program_key'], 'unique': true},
        ],
        pre_hook=[
            "set local enable_mergejoin = off",
            "set local enable_hashagg = off",
            "{{ replace_touched('employee_key', touched_employees(by_year=true), year_column='training_year') }}",
        ],
        post_hook="{{ record_watermark() }}",
    )
}}

{#- Hash joins only: the planner takes the completions for a seventh of their rows and, left to choose, sorted
    them again for a merge join with each employee-year input. Hashing those inputs instead streams the
    completions through every join in the order their window sorted them, the unique index's, which then builds
    from presorted rows (at 600,000 ASN the query took 46 s instead of 64 s, `explain analyze`). And grouped by
    sorting: the estimate of 755,559 completions (5.3 million) has the planner hash them, spilling, then sort
    them for the window; one sort serves both (28.7 s instead of 38.9 s, `benchmarks/explain.py
    int_training_completion_outcomes --set enable_mergejoin=off --set enable_hashagg=off`). The query's other
    groupings (the per-employee series) read presorted rows either way. -#}

with

-- In an incremental run the completions of the employees the new load batches touch, of the years they can
-- change (macros/incremental/touched_keys.sql).
participations as (

    select * from {{ ref('fct_training_participation') }}
    where {{ is_touched('employee_key', 'training_year') }}

),

employee_years as (

    select * from {{ ref('int_employee_years') }}
    where {{ is_touched('employee_key', 'calendar_year') }}

),

appraisals as (

    select * from {{ ref('fct_performance_appraisal') }}
    where {{ is_touched('employee_key') }}

),

assessments as (

    select * from {{ ref('int_assessment_jpm') }}
    where {{ is_touched('employee_key') }}

),

-- The comparison group's outcomes of the employee's year: a type-year's trained employees leave its cells.
year_outcomes as (

    select * from {{ ref('int_employee_year_outcomes') }}
    where {{ is_touched('employee_key', 'calendar_year') }}

),

predikat_matrix as (

    select * from {{ ref('ref_skp_predikat_matrix') }}

),

{{ assessment_series_cte('assessments') }},

-- One row per programme, training year and employee who completed (passed) it that year; a duplicate
-- report (the same course reported by a second vendor) is not a second programme's participant. The first
-- programme of its type in the year is marked here, on the narrow grouped rows, sorted employee first: a sort
-- led by the few training types compared the later columns of almost every row.
completions as (

    select
        program_key,
        training_type,
        training_year,
        employee_key,
        min(start_date) as first_start_date,
        max(coalesce(end_date, start_date)) as last_end_date,
        row_number() over (
            partition by employee_key, training_year, training_type
            order by program_key
        ) = 1 as is_first_of_type_year

    from participations

    where is_completed and is_counted

    group by employee_key, training_year, training_type, program_key

),

{{ annual_appraisal_series_cte('appraisals', 'predikat_matrix') }},

final as (

    select
        completions.program_key,
        completions.training_type,
        completions.training_year,
        completions.employee_key,
        employee_years.employee_key is not null as is_in_service,
        coalesce(employee_years.status_group, '') as status_group_key,
        coalesce(employee_years.position_type, '') as position_type_key,
        employee_years.opd_code,
        {{ appraisal_change_columns('annual_appraisal_series', 'completions.training_year') }},
        -- the latest assessment before the training's start and the first after its end
        {{ jpm_change_columns('assessment_series', 'completions.first_start_date - 1', 'completions.last_end_date') }},
        completions.is_first_of_type_year,
        year_outcomes.jpm_before_pct as year_jpm_before_pct,
        year_outcomes.jpm_after_pct as year_jpm_after_pct,
        coalesce(year_outcomes.is_jpm_paired, false) as is_year_jpm_paired

    from completions

    left join employee_years
        on
            completions.employee_key = employee_years.employee_key
            and completions.training_year = employee_years.calendar_year

    left join annual_appraisal_series
        on completions.employee_key = annual_appraisal_series.employee_key

    left join year_outcomes
        on
            completions.employee_key = year_outcomes.employee_key
            and completions.training_year = year_outcomes.calendar_year

    left join assessment_series
        on completions.employee_key = assessment_series.employee_key

)

select * from final
