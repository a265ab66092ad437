{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        indexes=[{'columns': ['participation_natural_key'], 'unique': true}, {'columns': ['employee_nip']}],
        pre_hook="{{ replace_touched('employee_nip', touched_keys({
            'stg_training__participation': 'new_rows.employee_nip',
        })) }}",
        post_hook="{{ record_watermark() }}",
    )
}}

with

-- In an incremental run every report of the employees with a report in a new load batch: a report is only
-- ever the duplicate of one of its employee's (macros/incremental/touched_keys.sql).
reports as (

    select * from {{ ref('stg_training__participation') }}
    where {{ is_touched('employee_nip') }}

),

equivalences as (

    select * from {{ ref('ref_training_program_equivalence') }}

),

-- The reports of a programme that ref_training_program_equivalence says is one course with others (the
-- vendor's programme and its type must both match the seed's row), with their rank: a passed report before
-- one that was not, then the vendor the seed prefers, then the report loaded first.
equivalent_reports as (

    select
        {{ participation_natural_key('reports') }} as participation_natural_key,
        reports.employee_nip,
        equivalences.equivalence_group,
        reports.start_date,
        coalesce(reports.end_date, reports.start_date) as last_date,
        reports.completion_status <> 'passed' as is_not_passed,
        equivalences.report_priority,
        reports.loaded_at

    from reports

    inner join equivalences
        on
            reports.vendor_code = equivalences.vendor_code
            and reports.program_identifier = equivalences.program_identifier
            and reports.program_type = equivalences.program_type

),

-- A report is a duplicate when the same employee has a better-ranked report of an equivalent programme whose
-- dates overlap its own (a day in common); it is the duplicate of the best of them. A window hands each report
-- the better-ranked reports of its employee and course, best first (the frame ends before its peers: a report
-- ranked alike is not better), and the first that overlaps is taken. A self-join instead was planned as a
-- nested loop over every pair of reports (its inputs are estimated at one row).
ranked as (

    select
        *,
        array_agg(participation_natural_key) over better_reports as better_natural_keys,
        array_agg(start_date) over better_reports as better_start_dates,
        array_agg(last_date) over better_reports as better_last_dates

    from equivalent_reports

    window better_reports as (
        partition by employee_nip, equivalence_group
        order by is_not_passed asc, report_priority asc, loaded_at asc, participation_natural_key asc
        groups between unbounded preceding and 1 preceding
    )

),

final as (

    select distinct on (report.participation_natural_key)
        report.participation_natural_key,
        report.employee_nip,
        report.equivalence_group,
        better.participation_natural_key as duplicate_of_natural_key

    from ranked as report

    cross join
        lateral unnest(
            report.better_natural_keys, report.better_start_dates, report.better_last_dates
        ) with ordinality as better (participation_natural_key, start_date, last_date, rank_order)

    where
        report.last_date >= better.start_date
        and report.start_date <= better.last_date

    order by report.participation_natural_key asc, better.rank_order asc

)

select * from final
