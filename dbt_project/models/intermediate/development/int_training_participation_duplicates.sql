with

reports as (

    select * from {{ ref('stg_training__participation') }}

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
-- dates overlap its own (a day in common); it is the duplicate of the best of them.
final as (

    select distinct on (report.participation_natural_key)
        report.participation_natural_key,
        report.equivalence_group,
        better.participation_natural_key as duplicate_of_natural_key

    from equivalent_reports as report

    inner join equivalent_reports as better
        on
            report.employee_nip = better.employee_nip
            and report.equivalence_group = better.equivalence_group
            and report.last_date >= better.start_date
            and report.start_date <= better.last_date
            and (report.is_not_passed, report.report_priority, report.loaded_at, report.participation_natural_key)
            > (better.is_not_passed, better.report_priority, better.loaded_at, better.participation_natural_key)

    order by
        report.participation_natural_key asc,
        better.is_not_passed asc,
        better.report_priority asc,
        better.loaded_at asc,
        better.participation_natural_key asc

)

select * from final
