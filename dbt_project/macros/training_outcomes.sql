{#- The outcomes mart_training_effectiveness compares before and after a training year, computed alike for the
    comparison group's employee-years (int_employee_year_outcomes) and for the participants
    (int_training_completion_outcomes): the annual SKP of the year before and of the year after, and the JPM
    of the competency assessments on the dates each model picks. -#}

{% macro appraisal_outcome_measures() %}
    {{ return(['baik_share_before_pct', 'baik_share_after_pct', 'predikat_rank_before', 'predikat_rank_after']) }}
{% endmacro %}

{% macro appraisal_change_ctes(appraisals, predikat_matrix) %}
    {#- CTEs `annual_appraisals` and `appraisal_change`: per employee and year (around_year), the annual
        appraisals of the year before and of the year after, from the CTEs named `appraisals`
        (fct_performance_appraisal) and `predikat_matrix` (ref_skp_predikat_matrix). -#}
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

),

appraisal_change as (

    select
        coalesce(before_year.employee_key, after_year.employee_key) as employee_key,
        coalesce(before_year.appraisal_year + 1, after_year.appraisal_year - 1) as around_year,
        before_year.predikat_rank as predikat_rank_before,
        after_year.predikat_rank as predikat_rank_after,
        before_year.baik_or_better_pct as baik_share_before_pct,
        after_year.baik_or_better_pct as baik_share_after_pct,
        before_year.employee_key is not null and after_year.employee_key is not null as is_appraisal_paired

    from annual_appraisals as before_year

    full outer join annual_appraisals as after_year
        on
            before_year.employee_key = after_year.employee_key
            and before_year.appraisal_year + 2 = after_year.appraisal_year

)
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
