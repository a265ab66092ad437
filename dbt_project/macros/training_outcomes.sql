{#- The outcomes mart_training_effectiveness compares before and after a training year, computed alike for the
    comparison group's employee-years (int_employee_year_outcomes) and for the participants
    (int_training_completion_outcomes): the annual SKP of the year before and of the year after, and the JPM
    of the competency assessments on the dates each model picks. -#}

{% macro appraisal_outcome_measures() %}
    {{ return(['baik_share_before_pct', 'baik_share_after_pct', 'predikat_rank_before', 'predikat_rank_after']) }}
{% endmacro %}

{% macro annual_appraisals_cte(appraisals, predikat_matrix) %}
    {#- CTE `annual_appraisals`: the annual appraisals with a predikat, from the CTEs named `appraisals`
        (fct_performance_appraisal) and `predikat_matrix` (ref_skp_predikat_matrix), for
        appraisal_change_joins(). -#}
annual_appraisals as (

    select
        {{ appraisals }}.employee_key,
        {{ appraisals }}.appraisal_year,
        {{ appraisals }}.predikat_rank,
        case when {{ appraisals }}.predikat_rank <= baik.baik_rank then 100.0 else 0.0 end as baik_or_better_pct

    from {{ appraisals }}

    cross join (
        select min(predikat_rank) as baik_rank from {{ predikat_matrix }} where predikat = 'Baik'
    ) as baik

    where {{ appraisals }}.is_annual and {{ appraisals }}.predikat_rank is not null

)
{%- endmacro %}

{% macro appraisal_change_joins(rows, year_column) %}
    {#- Joins of each row of `rows` (columns employee_key and `year_column`) to the annual appraisals
        (annual_appraisals_cte) of the year before and of the year after, for appraisal_change_columns(). Each
        row looks its two years up directly: pairing every employee's appraisals first (a full join of the
        appraisals with themselves) gave the planner a relation it estimated at 27 times its rows. -#}
    left join annual_appraisals as appraisal_before
        on
            {{ rows }}.employee_key = appraisal_before.employee_key
            and {{ rows }}.{{ year_column }} - 1 = appraisal_before.appraisal_year

    left join annual_appraisals as appraisal_after
        on
            {{ rows }}.employee_key = appraisal_after.employee_key
            and {{ rows }}.{{ year_column }} + 1 = appraisal_after.appraisal_year
{%- endmacro %}

{% macro appraisal_change_columns() %}
    {#- The columns of appraisal_outcome_measures(), then is_appraisal_paired, from appraisal_change_joins(). -#}
    appraisal_before.baik_or_better_pct as baik_share_before_pct,
        appraisal_after.baik_or_better_pct as baik_share_after_pct,
        appraisal_before.predikat_rank as predikat_rank_before,
        appraisal_after.predikat_rank as predikat_rank_after,
        appraisal_before.employee_key is not null and appraisal_after.employee_key is not null as is_appraisal_paired
{%- endmacro %}

{% macro assessment_jpm_ctes(assessments, dates, key_columns) %}
    {#- CTEs `assessment_days` and `assessment_jpm`: the JPM of the assessments (the CTE named `assessments`,
        int_assessment_jpm) on the dates before_date and after_date of each row of the CTE named `dates`
        (columns key_columns, employee_key among them), as jpm_before_pct and jpm_after_pct. One assessment per
        employee and day (the first by id should a day have two), so that a date names one JPM: a join on the
        dates rather than sorting every row's assessments. -#}
assessment_days as (

    select distinct on (employee_key, assessment_date)
        employee_key,
        assessment_date,
        jpm_pct

    from {{ assessments }}

    order by employee_key asc, assessment_date asc, assessment_id asc

),

assessment_jpm as (

    select
        {%- for column in key_columns %}
            {{ dates }}.{{ column }},
        {%- endfor %}
        before_assessment.jpm_pct as jpm_before_pct,
        after_assessment.jpm_pct as jpm_after_pct

    from {{ dates }}

    left join assessment_days as before_assessment
        on
            {{ dates }}.employee_key = before_assessment.employee_key
            and {{ dates }}.before_date = before_assessment.assessment_date

    left join assessment_days as after_assessment
        on
            {{ dates }}.employee_key = after_assessment.employee_key
            and {{ dates }}.after_date = after_assessment.assessment_date

)
{%- endmacro %}
