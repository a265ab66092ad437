{#- Measures compared before and after (macros/training_outcomes.sql): the share rated Baik or better and the
    mean predikat rank of the annual SKP (year before vs year after the training year), and the mean JPM of
    competency assessments (participants: latest before the start vs first after the end, in
    int_training_completion_outcomes; comparison group: latest before 1 January vs first after 31 December of
    the training year, in int_employee_year_outcomes). -#}
{{ config(pre_hook="set local enable_sort = off") }}

{#- Hashing only: the planner multiplies the distinct values of participant_groups' eight grouping columns
    into a million groups (there are some 30,000 at 600,000 ASN) and, left to choose, sorted the 5.3M
    participants on all eight (20 s instead of 4 s for the mart, `benchmarks/explain.py`). -#}
{%- set measures = appraisal_outcome_measures() -%}
{%- set jpm_measures = ['jpm_before_pct', 'jpm_after_pct'] -%}

with

participant_rows as (

    select * from {{ ref('int_training_completion_outcomes') }}

),

programs as (

    select * from {{ ref('dim_training_program') }}

),

unit_satisfaction as (

    select * from {{ ref('int_service_unit_satisfaction') }}

),

service_units as (

    select * from {{ ref('ref_service_unit') }}

),

-- The participants summed once per programme-year, cell, OPD and the two flags the CTEs below filter on: each
-- of them reads these groups rather than every participant (at 600,000 ASN 5.3M rows read once, not five times).
participant_groups as (

    select
        program_key,
        training_type,
        training_year,
        status_group_key,
        position_type_key,
        opd_code,
        is_in_service,
        is_first_of_type_year,
        count(*) as participants,
        count(*) filter (where is_appraisal_paired) as appraisal_paired,
        {%- for measure in measures %}
            sum({{ measure }}) filter (where is_appraisal_paired) as {{ measure }}_sum,
        {%- endfor %}
        count(*) filter (where is_jpm_paired) as jpm_paired,
        {%- for measure in jpm_measures %}
            sum({{ measure }}) filter (where is_jpm_paired) as {{ measure }}_sum,
        {%- endfor %}
        {%- for measure in jpm_measures %}
            sum(year_{{ measure }}) filter (where is_year_jpm_paired) as year_{{ measure }}_sum,
        {%- endfor %}
        count(*) filter (where is_year_jpm_paired) as year_jpm_paired

    from participant_rows

    group by
        program_key,
        training_type,
        training_year,
        status_group_key,
        position_type_key,
        opd_code,
        is_in_service,
        is_first_of_type_year

),

-- Means as avg() computes them: the sums over the counts (numeric division).
participant_summary as (

    select
        program_key,
        training_year,
        sum(participants)::integer as participants_completed,
        coalesce(sum(participants) filter (where is_in_service), 0)::integer as participants_in_service,
        sum(appraisal_paired)::integer as participants_appraisal_paired,
        {%- for measure in measures %}
            sum({{ measure }}_sum) / nullif(sum(appraisal_paired), 0) as participant_{{ measure }},
        {%- endfor %}
        {%- for measure in jpm_measures %}
            sum({{ measure }}_sum) / nullif(sum(jpm_paired), 0) as participant_{{ measure }},
        {%- endfor %}
        sum(jpm_paired)::integer as participants_jpm_paired

    from participant_groups

    group by program_key, training_year

),

-- The service units of the OPDs the programme's completers worked in during the training year (each unit
-- once), and their survey respondents in the calendar year before and the year after, pooled.
participant_opds as (

    select distinct
        program_key,
        training_year,
        opd_code

    from participant_groups

    where is_in_service

),

participant_units as (

    select distinct
        participant_opds.program_key,
        participant_opds.training_year,
        service_units.service_unit_code

    from participant_opds

    inner join service_units
        on participant_opds.opd_code = service_units.opd_code

),

participant_unit_satisfaction as (

    select
        participant_units.program_key,
        participant_units.training_year,
        sum(unit_satisfaction.respondents) filter (
            where extract(year from unit_satisfaction.month_start) = participant_units.training_year - 1
        ) as respondents_before,
        sum(unit_satisfaction.answer_points) filter (
            where extract(year from unit_satisfaction.month_start) = participant_units.training_year - 1
        ) as answer_points_before,
        sum(unit_satisfaction.respondents) filter (
            where extract(year from unit_satisfaction.month_start) = participant_units.training_year + 1
        ) as respondents_after,
        sum(unit_satisfaction.answer_points) filter (
            where extract(year from unit_satisfaction.month_start) = participant_units.training_year + 1
        ) as answer_points_after

    from participant_units

    inner join unit_satisfaction
        on participant_units.service_unit_code = unit_satisfaction.service_unit_code

    group by participant_units.program_key, participant_units.training_year

),

-- Comparison group: employees in active service in the training year (int_employee_years) who completed
-- no training of the same training type that year, by status group and position type. A cell's sums are
-- those of every employee of the year less those of the type's trained employees: each employee-year is
-- read once, not once per training type of its year.
type_years as (

    select distinct
        training_type,
        training_year

    from participant_groups

),

year_cells as (

    select * from {{ ref('int_employee_year_outcome_cells') }}
    where calendar_year in (select type_years.training_year from type_years)

),

-- The type-year's trained employees in service, each once (their first programme of the type that year),
-- with the comparison group's measures of their year.
trained_cells as (

    select
        training_type,
        training_year,
        status_group_key,
        position_type_key,
        sum(participants)::bigint as employees,
        sum(appraisal_paired)::bigint as appraisal_paired,
        {%- for measure in measures %}
            sum({{ measure }}_sum) as {{ measure }}_sum,
        {%- endfor %}
        {%- for measure in jpm_measures %}
            sum(year_{{ measure }}_sum) as {{ measure }}_sum,
        {%- endfor %}
        sum(year_jpm_paired)::bigint as jpm_paired

    from participant_groups

    where is_first_of_type_year and is_in_service

    group by training_type, training_year, status_group_key, position_type_key

),

-- The means are sums over counts, as avg() computes them (numeric division).
comparison_cells as (

    select
        type_years.training_type,
        type_years.training_year,
        year_cells.status_group_key,
        year_cells.position_type_key,
        year_cells.employees - coalesce(trained_cells.employees, 0) as comparison_employees,
        year_cells.appraisal_paired - coalesce(trained_cells.appraisal_paired, 0) as appraisal_paired,
        {%- for measure in measures %}
            (year_cells.{{ measure }}_sum - coalesce(trained_cells.{{ measure }}_sum, 0))::numeric
            / nullif(year_cells.appraisal_paired - coalesce(trained_cells.appraisal_paired, 0), 0) as {{ measure }},
        {%- endfor %}
        {%- for measure in jpm_measures %}
            (year_cells.{{ measure }}_sum - coalesce(trained_cells.{{ measure }}_sum, 0))::numeric
            / nullif(year_cells.jpm_paired - coalesce(trained_cells.jpm_paired, 0), 0) as {{ measure }},
        {%- endfor %}
        year_cells.jpm_paired - coalesce(trained_cells.jpm_paired, 0) as jpm_paired

    from type_years

    inner join year_cells
        on type_years.training_year = year_cells.calendar_year

    left join trained_cells
        on
            type_years.training_type = trained_cells.training_type
            and type_years.training_year = trained_cells.training_year
            and year_cells.status_group_key = trained_cells.status_group_key
            and year_cells.position_type_key = trained_cells.position_type_key

    where year_cells.employees > coalesce(trained_cells.employees, 0)

),

participant_cells as (

    select
        program_key,
        training_type,
        training_year,
        status_group_key,
        position_type_key,
        sum(participants)::bigint as participant_count

    from participant_groups

    where is_in_service

    group by program_key, training_type, training_year, status_group_key, position_type_key

),

-- Each cell's comparison mean weighted by the programme's participants in that cell, over the cells
-- where the comparison group has paired values: the comparison group standardised to the participants'
-- mix of status group and position type.
comparison_summary as (

    select
        participant_cells.program_key,
        participant_cells.training_year,
        sum(comparison_cells.comparison_employees)::integer as comparison_employees,
        sum(comparison_cells.appraisal_paired)::integer as comparison_appraisal_paired,
        {%- for measure in measures %}
            sum(participant_cells.participant_count * comparison_cells.{{ measure }})
            filter (where comparison_cells.appraisal_paired > 0)
            / nullif(sum(participant_cells.participant_count) filter (where comparison_cells.appraisal_paired > 0), 0)
                as comparison_{{ measure }},
        {%- endfor %}
        {%- for measure in jpm_measures %}
            sum(participant_cells.participant_count * comparison_cells.{{ measure }})
            filter (where comparison_cells.jpm_paired > 0)
            / nullif(sum(participant_cells.participant_count) filter (where comparison_cells.jpm_paired > 0), 0)
                as comparison_{{ measure }},
        {%- endfor %}
        sum(comparison_cells.jpm_paired)::integer as comparison_jpm_paired

    from participant_cells

    inner join comparison_cells
        on
            participant_cells.training_type = comparison_cells.training_type
            and participant_cells.training_year = comparison_cells.training_year
            and participant_cells.status_group_key = comparison_cells.status_group_key
            and participant_cells.position_type_key = comparison_cells.position_type_key

    group by participant_cells.program_key, participant_cells.training_year

),

final as (

    select
        participant_summary.program_key,
        participant_summary.training_year,
        programs.training_type,
        programs.program_type,
        participant_summary.participants_completed,
        participant_summary.participants_in_service,
        participant_summary.participants_appraisal_paired,
        {%- for measure in measures %}
            round(participant_summary.participant_{{ measure }}, 2) as participant_{{ measure }},
        {%- endfor %}
        participant_summary.participants_jpm_paired,
        round(participant_summary.participant_jpm_before_pct, 2) as participant_jpm_before_pct,
        round(participant_summary.participant_jpm_after_pct, 2) as participant_jpm_after_pct,
        coalesce(comparison_summary.comparison_employees, 0) as comparison_employees,
        coalesce(comparison_summary.comparison_appraisal_paired, 0) as comparison_appraisal_paired,
        {%- for measure in measures %}
            round(comparison_summary.comparison_{{ measure }}, 2) as comparison_{{ measure }},
        {%- endfor %}
        coalesce(comparison_summary.comparison_jpm_paired, 0) as comparison_jpm_paired,
        round(comparison_summary.comparison_jpm_before_pct, 2) as comparison_jpm_before_pct,
        round(comparison_summary.comparison_jpm_after_pct, 2) as comparison_jpm_after_pct,
        round(
            (
                participant_summary.participant_baik_share_after_pct
                - participant_summary.participant_baik_share_before_pct
            )
            - (
                comparison_summary.comparison_baik_share_after_pct
                - comparison_summary.comparison_baik_share_before_pct
            ),
            2
        ) as did_baik_share_pct_points,
        round(
            (
                participant_summary.participant_predikat_rank_after
                - participant_summary.participant_predikat_rank_before
            )
            - (
                comparison_summary.comparison_predikat_rank_after
                - comparison_summary.comparison_predikat_rank_before
            ),
            2
        ) as did_predikat_rank,
        round(
            (
                participant_summary.participant_jpm_after_pct
                - participant_summary.participant_jpm_before_pct
            )
            - (
                comparison_summary.comparison_jpm_after_pct
                - comparison_summary.comparison_jpm_before_pct
            ),
            2
        ) as did_jpm_pct_points,
        coalesce(participant_unit_satisfaction.respondents_before, 0)::integer as participant_units_respondents_before,
        {{ skm_ikm(
            'participant_unit_satisfaction.answer_points_before::numeric'
            ~ ' / (9 * participant_unit_satisfaction.respondents_before)'
        ) }} as participant_units_ikm_before,
        coalesce(participant_unit_satisfaction.respondents_after, 0)::integer as participant_units_respondents_after,
        {{ skm_ikm(
            'participant_unit_satisfaction.answer_points_after::numeric'
            ~ ' / (9 * participant_unit_satisfaction.respondents_after)'
        ) }} as participant_units_ikm_after

    from participant_summary

    left join programs
        on participant_summary.program_key = programs.program_key

    left join comparison_summary
        on
            participant_summary.program_key = comparison_summary.program_key
            and participant_summary.training_year = comparison_summary.training_year

    left join participant_unit_satisfaction
        on
            participant_summary.program_key = participant_unit_satisfaction.program_key
            and participant_summary.training_year = participant_unit_satisfaction.training_year

)

select * from final
