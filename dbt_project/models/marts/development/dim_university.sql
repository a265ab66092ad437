with

universities as (

    select * from {{ ref('ref_university') }}

),

reports as (

    select * from {{ ref('stg_university__programme') }}

),

reported_codes as (

    select distinct university_code

    from reports

),

-- Every university of the reference list and every university that reported; one that reported without
-- a reference row is named by its code.
final as (

    select
        coalesce(universities.university_code, reported_codes.university_code) as university_code,
        coalesce(universities.university_name, reported_codes.university_code) as university_name,
        universities.city,
        universities.university_code is not null as is_in_reference

    from universities

    full outer join reported_codes
        on universities.university_code = reported_codes.university_code

)

select * from final
