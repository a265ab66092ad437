{%- set status_groups = ['PNS', 'CPNS', 'PPPK'] -%}
{%- set position_types = ['Struktural', 'Fungsional', 'Pelaksana'] -%}
{%- set position_type_list = "'" ~ position_types | join("', '") ~ "'" -%}
{%- set status_cells = [] -%}
{%- for status_group in status_groups -%}
    {%- do status_cells.append('retirements_' ~ status_group | lower) -%}
{%- endfor -%}
{%- set position_cells = [] -%}
{%- for position_type in position_types -%}
    {%- do position_cells.append('retirements_' ~ position_type | lower) -%}
{%- endfor -%}
{%- do position_cells.append('retirements_other_position_type') -%}

with

employees as (

    select * from {{ ref('int_employee_latest') }}

),

-- The latest SIASN snapshot and the forecast window: its year and the following years, as many as the
-- retirement_forecast_years setting says.
horizon as (

    select
        max(last_snapshot_date) as snapshot_date,
        extract(year from max(last_snapshot_date))::integer as first_year,
        extract(year from max(last_snapshot_date))::integer
        + {{ pembina_setting('retirement_forecast_years', 'integer') }} - 1 as last_year

    from employees

),

-- Employees in active service in the latest snapshot.
active_employees as (

    select
        employees.opd_code,
        employees.status_group,
        employees.position_type,
        employees.retirement_age,
        -- The BUP is reached on the birthday; the pension starts on the first day of the next month.
        {{ pension_start_date('employees.birth_date', 'employees.retirement_age') }} as pension_start_date

    from employees

    where employees.is_in_latest_snapshot and employees.is_active_service

),

opd_headcounts as (

    select
        opd_code,
        count(*)::integer as active_headcount,
        count(*) filter (where retirement_age is null)::integer as active_without_retirement_age

    from active_employees

    group by opd_code

),

forecast_years as (

    select generate_series(first_year, last_year) as retirement_year

    from horizon

),

-- Still to retire after the snapshot (pension start after it), counted in the year the pension starts:
-- the BUP reached in December retires on 1 January of the next year.
retirements as (

    select
        active_employees.opd_code,
        active_employees.status_group,
        active_employees.position_type,
        extract(year from active_employees.pension_start_date)::integer as pension_year

    from active_employees

    cross join horizon

    where active_employees.pension_start_date > horizon.snapshot_date

),

retirements_by_year as (

    select
        opd_code,
        pension_year,
        count(*)::integer as retirements_total,
        {%- for status_group in status_groups %}
            count(*) filter (where status_group = '{{ status_group }}')::integer
                as retirements_{{ status_group | lower }},
        {%- endfor %}
        {%- for position_type in position_types %}
            count(*) filter (where position_type = '{{ position_type }}')::integer
                as retirements_{{ position_type | lower }},
        {%- endfor %}
        count(*) filter (
            where position_type is null or position_type not in ({{ position_type_list }})
        )::integer as retirements_other_position_type

    from retirements

    group by opd_code, pension_year

),

forecasts as (

    select
        forecast_years.retirement_year,
        opd_headcounts.opd_code,
        horizon.snapshot_date,
        opd_headcounts.active_headcount,
        opd_headcounts.active_without_retirement_age,
        coalesce(retirements_by_year.retirements_total, 0) as retirements_total,
        {%- for status_group in status_groups %}
            coalesce(retirements_by_year.retirements_{{ status_group | lower }}, 0)
                as retirements_{{ status_group | lower }},
        {%- endfor %}
        {%- for position_type in position_types %}
            coalesce(retirements_by_year.retirements_{{ position_type | lower }}, 0)
                as retirements_{{ position_type | lower }},
        {%- endfor %}
        coalesce(retirements_by_year.retirements_other_position_type, 0) as retirements_other_position_type

    from forecast_years

    cross join opd_headcounts

    cross join horizon

    left join retirements_by_year
        on
            opd_headcounts.opd_code = retirements_by_year.opd_code
            and forecast_years.retirement_year = retirements_by_year.pension_year

),

-- Fewer than k retirements in an OPD and year would tell a colleague's birth year: small cells are
-- suppressed, the total and each breakdown of it.
final as (

    select
        retirement_year,
        opd_code,
        snapshot_date,
        active_headcount,
        active_without_retirement_age,
        case
            when retirements_total not between 1 and {{ pembina_setting('k_anonymity_k', 'integer') }} - 1
                then retirements_total
        end as retirements_total,
        {{ suppressed_cells(status_cells) }},
        {{ suppressed_cells(position_cells) }}

    from forecasts

)

select * from final
