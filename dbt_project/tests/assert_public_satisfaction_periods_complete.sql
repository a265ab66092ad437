-- mart_public_satisfaction leaves no semester out: each unit has a row for every semester from its first
-- one to the latest of the mart, and a semester's respondents are those of its months in
-- int_service_unit_satisfaction.
with

satisfaction as (

    select * from {{ ref('mart_public_satisfaction') }}

),

monthly as (

    select * from {{ ref('int_service_unit_satisfaction') }}

),

latest as (

    select max(period_start) as latest_period_start from satisfaction

),

per_unit as (

    select
        service_unit_code,
        count(*) as semesters,
        min(period_start) as first_period_start,
        sum(respondents) as respondents

    from satisfaction

    group by service_unit_code

),

surveyed as (

    select
        service_unit_code,
        sum(respondents) as respondents

    from monthly

    group by service_unit_code

)

select
    per_unit.service_unit_code,
    per_unit.semesters,
    per_unit.respondents,
    surveyed.respondents as monthly_respondents

from per_unit

cross join latest

left join surveyed
    on per_unit.service_unit_code = surveyed.service_unit_code

where
    per_unit.semesters <> 1 + (
        (extract(year from latest.latest_period_start) - extract(year from per_unit.first_period_start)) * 12
        + extract(month from latest.latest_period_start) - extract(month from per_unit.first_period_start)
    ) / 6
    or per_unit.respondents is distinct from surveyed.respondents
