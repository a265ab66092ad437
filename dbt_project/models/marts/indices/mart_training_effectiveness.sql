{#- Measures compared before and after: the share rated Baik or better and the mean predikat rank of the
    annual SKP (year before vs year after the training year), and the mean JPM of competency assessments
    (participants: latest before the start vs first after the end; comparison group: latest before
    1 January vs first after 31 December of the training year). -#}
{%- set measures = [
    'baik_share_before_pct', 'baik_share_after_pct', 'predikat_rank_before', 'predikat_rank_after',
] -%}
{%- set jpm_measures = ['jpm_before_pct', 'jpm_after_pct'] -%}

with

participations as (

    select * from {{ ref('fct_training_participation') }}

),

programs as (

    select * from {{ ref('dim_training_program') }}

),

employee_years as (

    select * from {{ ref('int_employee_years') }}

),

appraisals as (

    select * from {{ ref('fct_performance_appraisal') }}

),

assessments as (

    select * from {{ ref('int_assessment_jpm') }}

),

unit_satisfaction as (

    select * from {{ ref('int_service_unit_satisfaction') }}

),

service_units as (

    select * from {{ ref('ref_service_unit') }}

),

baik as (

    select min(predikat_rank) as baik_rank
    from {{ ref('ref_skp_predikat_matrix') }}
    where predikat = 'Baik'

),

annual_appraisals as (

    select
        appraisals.employee_key,
        appraisals.appraisal_year,
        appraisals.predikat_rank,
        case when appraisals.predikat_rank <= baik.baik_rank then 100.0 else 0.0 end as baik_or_better_pct

    from appraisals

    cross join baik

    where appraisals.is_annual and appraisals.predikat_rank is not null

),

-- Per employee and year: the annual appraisals of the year before and of the year after.
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

),

-- One row per programme, training year and employee who completed (passed) it that year; a duplicate
-- report (the same course reported by a second vendor) is not a second programme's participant.
completions as (

    select
        program_key,
        training_type,
        training_year,
        employee_key,
        min(start_date) as first_start_date,
        max(coalesce(end_date, start_date)) as last_end_date

    from participations

    where is_completed and is_counted

    group by program_key, training_type, training_year, employee_key

),

-- One assessment per employee and day (the first by id should a day have two), so that the dates found
-- below name one JPM each: a hash aggregate of dates and a join back, rather than sorting every
-- participant's assessments.
assessment_days as (

    select distinct on (employee_key, assessment_date)
        employee_key,
        assessment_date,
        jpm_pct

    from assessments

    order by employee_key asc, assessment_date asc, assessment_id asc

),

participant_assessment_dates as (

    select
        completions.program_key,
        completions.training_year,
        completions.employee_key,
        max(assessments.assessment_date) filter (
            where assessments.assessment_date < completions.first_start_date
        ) as before_date,
        min(assessments.assessment_date) filter (
            where assessments.assessment_date > completions.last_end_date
        ) as after_date

    from completions

    inner join assessments
        on completions.employee_key = assessments.employee_key

    group by completions.program_key, completions.training_year, completions.employee_key

),

participant_jpm as (

    select
        participant_assessment_dates.program_key,
        participant_assessment_dates.training_year,
        participant_assessment_dates.employee_key,
        before_assessment.jpm_pct as jpm_before_pct,
        after_assessment.jpm_pct as jpm_after_pct

    from participant_assessment_dates

    left join assessment_days as before_assessment
        on
            participant_assessment_dates.employee_key = before_assessment.employee_key
            and participant_assessment_dates.before_date = before_assessment.assessment_date

    left join assessment_days as after_assessment
        on
            participant_assessment_dates.employee_key = after_assessment.employee_key
            and participant_assessment_dates.after_date = after_assessment.assessment_date

),

participant_rows as (

    select
        completions.program_key,
        completions.training_type,
        completions.training_year,
        completions.employee_key,
        employee_years.status_group,
        employee_years.position_type,
        employee_years.opd_code,
        employee_years.employee_key is not null as is_in_service,
        {%- for measure in measures %}
            appraisal_change.{{ measure }},
        {%- endfor %}
        coalesce(appraisal_change.is_appraisal_paired, false) as is_appraisal_paired,
        participant_jpm.jpm_before_pct,
        participant_jpm.jpm_after_pct,
        participant_jpm.jpm_before_pct is not null and participant_jpm.jpm_after_pct is not null as is_jpm_paired

    from completions

    left join employee_years
        on
            completions.employee_key = employee_years.employee_key
            and completions.training_year = employee_years.calendar_year

    left join appraisal_change
        on
            completions.employee_key = appraisal_change.employee_key
            and completions.training_year = appraisal_change.around_year

    left join participant_jpm
        on
            completions.program_key = participant_jpm.program_key
            and completions.training_year = participant_jpm.training_year
            and completions.employee_key = participant_jpm.employee_key

),

participant_summary as (

    select
        program_key,
        training_year,
        count(*)::integer as participants_completed,
        count(*) filter (where is_in_service)::integer as participants_in_service,
        count(*) filter (where is_appraisal_paired)::integer as participants_appraisal_paired,
        {%- for measure in measures %}
            avg({{ measure }}) filter (where is_appraisal_paired) as participant_{{ measure }},
        {%- endfor %}
        count(*) filter (where is_jpm_paired)::integer as participants_jpm_paired,
        avg(jpm_before_pct) filter (where is_jpm_paired) as participant_jpm_before_pct,
        avg(jpm_after_pct) filter (where is_jpm_paired) as participant_jpm_after_pct

    from participant_rows

    group by program_key, training_year

),

-- The service units of the OPDs the programme's completers worked in during the training year (each unit
-- once), and their survey respondents in the calendar year before and the year after, pooled.
participant_opds as (

    select distinct
        program_key,
        training_year,
        opd_code

    from participant_rows

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

    from completions

),

trained as (

    select distinct
        training_type,
        training_year,
        employee_key

    from completions

),

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

    where employee_years.calendar_year in (select type_years.training_year from type_years)

    group by employee_years.employee_key, employee_years.calendar_year

),

year_jpm as (

    select
        year_assessment_dates.employee_key,
        year_assessment_dates.calendar_year,
        before_assessment.jpm_pct as jpm_before_pct,
        after_assessment.jpm_pct as jpm_after_pct

    from year_assessment_dates

    left join assessment_days as before_assessment
        on
            year_assessment_dates.employee_key = before_assessment.employee_key
            and year_assessment_dates.before_date = before_assessment.assessment_date

    left join assessment_days as after_assessment
        on
            year_assessment_dates.employee_key = after_assessment.employee_key
            and year_assessment_dates.after_date = after_assessment.assessment_date

),

employee_year_measures as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        coalesce(employee_years.status_group, '') as status_group_key,
        coalesce(employee_years.position_type, '') as position_type_key,
        {%- for measure in measures %}
            appraisal_change.{{ measure }},
        {%- endfor %}
        coalesce(appraisal_change.is_appraisal_paired, false) as is_appraisal_paired,
        year_jpm.jpm_before_pct,
        year_jpm.jpm_after_pct,
        year_jpm.jpm_before_pct is not null and year_jpm.jpm_after_pct is not null as is_jpm_paired

    from employee_years

    left join appraisal_change
        on
            employee_years.employee_key = appraisal_change.employee_key
            and employee_years.calendar_year = appraisal_change.around_year

    left join year_jpm
        on
            employee_years.employee_key = year_jpm.employee_key
            and employee_years.calendar_year = year_jpm.calendar_year

    where employee_years.calendar_year in (select type_years.training_year from type_years)

),

year_cells as (

    select
        calendar_year,
        status_group_key,
        position_type_key,
        count(*) as employees,
        count(*) filter (where is_appraisal_paired) as appraisal_paired,
        {%- for measure in measures %}
            sum({{ measure }}) filter (where is_appraisal_paired) as {{ measure }}_sum,
        {%- endfor %}
        {%- for measure in jpm_measures %}
            sum({{ measure }}) filter (where is_jpm_paired) as {{ measure }}_sum,
        {%- endfor %}
        count(*) filter (where is_jpm_paired) as jpm_paired

    from employee_year_measures

    group by calendar_year, status_group_key, position_type_key

),

trained_cells as (

    select
        trained.training_type,
        trained.training_year,
        employee_year_measures.status_group_key,
        employee_year_measures.position_type_key,
        count(*) as employees,
        count(*) filter (where employee_year_measures.is_appraisal_paired) as appraisal_paired,
        {%- for measure in measures %}
            sum(employee_year_measures.{{ measure }}) filter (where employee_year_measures.is_appraisal_paired)
                as {{ measure }}_sum,
        {%- endfor %}
        {%- for measure in jpm_measures %}
            sum(employee_year_measures.{{ measure }}) filter (where employee_year_measures.is_jpm_paired)
                as {{ measure }}_sum,
        {%- endfor %}
        count(*) filter (where employee_year_measures.is_jpm_paired) as jpm_paired

    from trained

    inner join employee_year_measures
        on
            trained.employee_key = employee_year_measures.employee_key
            and trained.training_year = employee_year_measures.calendar_year

    group by
        trained.training_type,
        trained.training_year,
        employee_year_measures.status_group_key,
        employee_year_measures.position_type_key

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
        coalesce(status_group, '') as status_group_key,
        coalesce(position_type, '') as position_type_key,
        count(*) as participant_count

    from participant_rows

    where is_in_service

    group by program_key, training_type, training_year, coalesce(status_group, ''), coalesce(position_type, '')

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
