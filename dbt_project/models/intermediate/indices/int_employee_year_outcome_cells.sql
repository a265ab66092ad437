{#- The comparison group's sums per year and cell for mart_training_effectiveness, from every employee-year of
    int_employee_year_outcomes: a table of its own, so that a day of training (which changes none of those
    rows) does not sum them again. -#}
{{ config(materialized='table') }}
{%- set measures = appraisal_outcome_measures() %}

with

employee_year_measures as (

    select * from {{ ref('int_employee_year_outcomes') }}

),

final as (

    select
        calendar_year,
        status_group_key,
        position_type_key,
        count(*) as employees,
        count(*) filter (where is_appraisal_paired) as appraisal_paired,
        {%- for measure in measures %}
            sum({{ measure }}) filter (where is_appraisal_paired) as {{ measure }}_sum,
        {%- endfor %}
        sum(jpm_before_pct) filter (where is_jpm_paired) as jpm_before_pct_sum,
        sum(jpm_after_pct) filter (where is_jpm_paired) as jpm_after_pct_sum,
        count(*) filter (where is_jpm_paired) as jpm_paired

    from employee_year_measures

    group by calendar_year, status_group_key, position_type_key

)

select * from final
