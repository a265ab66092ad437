with

reports as (

    select * from {{ ref('stg_university__programme') }}

),

programmes as (

    select * from {{ ref('fct_university_programme') }}

),

-- Each yearly report row is a year in which the programme runs; the OPD served is the participant's OPD
-- at the programme's start (fct_university_programme).
report_rows as (

    select
        reports.university_code,
        reports.program_type,
        reports.report_year,
        reports.employee_nip,
        reports.status,
        date_part('year', reports.end_date)::integer as end_year,
        programmes.opd_code

    from reports

    left join programmes
        on
            {{ employee_key('reports.employee_nip') }} = programmes.employee_key
            and reports.university_code = programmes.university_code
            and reports.program_name = programmes.program_name
            and reports.start_date = programmes.start_date

),

final as (

    select
        university_code,
        program_type,
        report_year,
        count(*)::integer as participations,
        count(distinct employee_nip)::integer as participants,
        count(*) filter (where status = 'passed' and end_year = report_year)::integer as completions,
        count(distinct opd_code)::integer as opds_served,
        count(*) filter (where status = 'active')::integer as active_at_year_end

    from report_rows

    group by university_code, program_type, report_year

)

select * from final
