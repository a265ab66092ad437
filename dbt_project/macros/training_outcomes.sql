{#- The outcomes mart_training_effectiveness compares before and after a training year, computed alike for the
    comparison group's employee-years (int_employee_year_outcomes) and for the participants
    (int_training_completion_outcomes): the annual SKP of the year before and of the year after, and the JPM
    of the competency assessments on the dates each model picks. -#}

{% macro appraisal_outcome_measures() %}
    {{ return(['baik_share_before_pct', 'baik_share_after_pct', 'predikat_rank_before', 'predikat_rank_after']) }}
{% endmacro %}

{% macro annual_appraisal_series_cte(appraisals, predikat_matrix) %}
    {#- CTE `annual_appraisal_series`: per employee of the CTE named `appraisals` (fct_performance_appraisal),
        the years of the annual appraisals with a predikat, and for each its predikat_rank and whether it is
        Baik or better (100.0, else 0.0; `predikat_matrix`: ref_skp_predikat_matrix), for
        appraisal_change_columns(). A row then finds its two years in its employee's few rather than by two
        joins on the employee and the year (at 600,000 ASN 5.3 million completions against 1.8 million annual
        appraisals, twice). -#}
annual_appraisal_series as (

    select
        {{ appraisals }}.employee_key,
        array_agg({{ appraisals }}.appraisal_year order by {{ appraisals }}.appraisal_year) as appraisal_years,
        array_agg({{ appraisals }}.predikat_rank order by {{ appraisals }}.appraisal_year) as predikat_ranks,
        array_agg(
            case when {{ appraisals }}.predikat_rank <= baik.baik_rank then 100.0 else 0.0 end
            order by {{ appraisals }}.appraisal_year
        ) as baik_or_better_pcts

    from {{ appraisals }}

    cross join (
        select min(predikat_rank) as baik_rank from {{ predikat_matrix }} where predikat = 'Baik'
    ) as baik

    where {{ appraisals }}.is_annual and {{ appraisals }}.predikat_rank is not null

    group by {{ appraisals }}.employee_key

)
{%- endmacro %}

{% macro appraisal_change_columns(series, year) %}
    {#- The columns of appraisal_outcome_measures(), then is_appraisal_paired: the annual appraisals of the year
        before and of the year after `year`, from a row of annual_appraisal_series_cte() named `series` (NULL
        when the employee has none: `array_position` gives NULL for a year not in the array, and so does an
        array subscripted by NULL). -#}
    {%- set before = 'array_position(' ~ series ~ '.appraisal_years, ' ~ year ~ ' - 1)' -%}
    {%- set after = 'array_position(' ~ series ~ '.appraisal_years, ' ~ year ~ ' + 1)' -%}
    {{ series }}.baik_or_better_pcts[{{ before }}] as baik_share_before_pct,
        {{ series }}.baik_or_better_pcts[{{ after }}] as baik_share_after_pct,
        {{ series }}.predikat_ranks[{{ before }}] as predikat_rank_before,
        {{ series }}.predikat_ranks[{{ after }}] as predikat_rank_after,
        {{ before }} is not null and {{ after }} is not null as is_appraisal_paired
{%- endmacro %}

{% macro assessment_series_cte(assessments) %}
    {#- CTE `assessment_series`: per employee of the CTE named `assessments` (int_assessment_jpm), the assessment
        dates in order and the JPM of each, one assessment per day (the first by id should a day have two), for
        jpm_change_columns(). A row then finds its assessments by a binary search of its employee's dates rather
        than by joining every assessment of its employee, grouping the pairs and joining the chosen days back (at
        600,000 ASN for 5.3 million completions and 2.5 million employee-years). -#}
assessment_series as (

    select
        employee_key,
        array_agg(assessment_date order by assessment_date) as assessment_dates,
        array_agg(jpm_pct order by assessment_date) as jpm_pcts

    from (
        select distinct on (employee_key, assessment_date)
            employee_key,
            assessment_date,
            jpm_pct

        from {{ assessments }}

        order by employee_key asc, assessment_date asc, assessment_id asc
    ) as assessment_days

    group by employee_key

)
{%- endmacro %}

{% macro jpm_change_columns(series, on_or_before, after) %}
    {#- jpm_before_pct, jpm_after_pct and is_jpm_paired: the JPM of the employee's latest assessment on or before
        the date `on_or_before` and of the first after the date `after`, from a row of assessment_series_cte()
        named `series` (NULL without one). `width_bucket` gives the position of the last date not after its
        argument, 0 if none; an array's element 0, or one past its end, is NULL. -#}
    {%- set jpm_before = series ~ '.jpm_pcts[width_bucket(' ~ on_or_before ~ ', ' ~ series ~ '.assessment_dates)]' -%}
    {%- set jpm_after = series ~ '.jpm_pcts[width_bucket(' ~ after ~ ', ' ~ series ~ '.assessment_dates) + 1]' -%}
    {{ jpm_before }} as jpm_before_pct,
        {{ jpm_after }} as jpm_after_pct,
        {{ jpm_before }} is not null and {{ jpm_after }} is not null as is_jpm_paired
{%- endmacro %}
