with

reports as (

    select * from {{ ref('stg_university__programme') }}

),

report_years as (

    select
        *,
        min(report_year) over participation as first_report_year,
        max(report_year) over participation as last_report_year,
        row_number() over (participation order by report_year desc, loaded_at desc) as report_rank

    from reports

    window participation as (partition by university_code, employee_nip, program_name, start_date)

),

-- The latest report year carries the latest status (and, for a finished programme, the actual end date).
final as (

    select
        university_code,
        employee_nip,
        program_name,
        program_type,
        degree_level,
        start_date,
        end_date,
        status,
        credits,
        gpa,
        grade_letter,
        final_score,
        first_report_year,
        last_report_year,
        loaded_at

    from report_years

    where report_rank = 1

)

select * from final
