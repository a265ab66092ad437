{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        indexes=[{'columns': ['employee_key', 'calendar_year'], 'unique': true}],
        pre_hook="{{ replace_touched('employee_key', touched_employees(held_where_by_model={
            'stg_discipline__hukuman': 'heaviest_sanction_level_ever is not null',
        })) }}",
        post_hook="{{ record_watermark() }}",
    )
}}

with

-- In an incremental run every year of the employees the new load batches touch, and of those with a sanction
-- on record when new decrees arrive (macros/incremental/touched_keys.sql).
employee_years as (

    select * from {{ ref('int_employee_years') }}
    where {{ is_touched('employee_key') }}

),

sanctions as (

    select * from {{ ref('fct_discipline_sanction') }}
    where {{ is_touched('employee_key') }}

),

sanction_levels as (

    select
        sanction_level,
        max(sanction_level_rank) as sanction_level_rank

    from {{ ref('ref_sanction') }}

    group by sanction_level

),

-- A sanction runs from its start (TMT) to its end date inclusive (fct_discipline_sanction: from the decree's
-- duration). A sanction without an end date runs on its start date only (warnings), except a dismissal,
-- which never ends.
sanction_periods as (

    select
        sanctions.employee_key,
        sanctions.sanction_level,
        sanction_levels.sanction_level_rank,
        sanctions.start_date,
        case
            when sanctions.end_date is not null then sanctions.end_date
            when sanctions.is_dismissal then null
            else sanctions.start_date
        end as effective_end_date

    from sanctions

    left join sanction_levels
        on sanctions.sanction_level = sanction_levels.sanction_level

),

running_in_year as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        sanction_periods.sanction_level,
        sanction_periods.sanction_level_rank,
        sanction_periods.effective_end_date is null
        or sanction_periods.effective_end_date >= make_date(employee_years.calendar_year, 12, 31)
            as is_running_at_year_end

    from employee_years

    inner join sanction_periods
        on
            employee_years.employee_key = sanction_periods.employee_key
            and sanction_periods.start_date <= make_date(employee_years.calendar_year, 12, 31)
            and (
                sanction_periods.effective_end_date is null
                or sanction_periods.effective_end_date >= make_date(employee_years.calendar_year, 1, 1)
            )

),

-- For the IP ASN disiplin dimension read as "ever" (setting ip_asn_discipline_window): every sanction that
-- started on or before the year's end, whether or not it still runs.
started_by_year_end as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        (array_agg(sanction_periods.sanction_level order by sanction_periods.sanction_level_rank desc nulls last))[1]
            as heaviest_sanction_level_ever

    from employee_years

    inner join sanction_periods
        on
            employee_years.employee_key = sanction_periods.employee_key
            and sanction_periods.start_date <= make_date(employee_years.calendar_year, 12, 31)

    group by employee_years.employee_key, employee_years.calendar_year

),

summarised as (

    select
        employee_key,
        calendar_year,
        (array_agg(sanction_level order by sanction_level_rank desc nulls last))[1] as heaviest_sanction_level,
        count(*)::integer as running_sanction_count,
        bool_or(is_running_at_year_end) as has_sanction_running_at_year_end

    from running_in_year

    group by employee_key, calendar_year

),

final as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        summarised.heaviest_sanction_level,
        coalesce(summarised.running_sanction_count, 0) as running_sanction_count,
        coalesce(summarised.has_sanction_running_at_year_end, false) as has_sanction_running_at_year_end,
        started_by_year_end.heaviest_sanction_level_ever,
        case {{ pembina_setting('ip_asn_discipline_window') }}
            when 'ever' then started_by_year_end.heaviest_sanction_level_ever
            else summarised.heaviest_sanction_level
        end as ip_asn_sanction_level

    from employee_years

    left join summarised
        on
            employee_years.employee_key = summarised.employee_key
            and employee_years.calendar_year = summarised.calendar_year

    left join started_by_year_end
        on
            employee_years.employee_key = started_by_year_end.employee_key
            and employee_years.calendar_year = started_by_year_end.calendar_year

)

select * from final
