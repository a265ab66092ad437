{%- set status_groups = ['PNS', 'CPNS', 'PPPK'] -%}
{%- set golongan_groups = ['I', 'II', 'III', 'IV'] -%}
{%- set education_levels = ['SD', 'SLTP', 'SLTA', 'D1', 'D2', 'D3', 'D4', 'S1', 'S2', 'S3'] -%}
{%- set status_cells = [] -%}
{%- for status_group in status_groups -%}
    {%- do status_cells.append('headcount_' ~ status_group | lower) -%}
{%- endfor -%}
{%- set golongan_cells = [] -%}
{%- for group in golongan_groups -%}
    {%- do golongan_cells.append('headcount_golongan_' ~ group | lower) -%}
{%- endfor -%}
{%- set education_cells = [] -%}
{%- for level in education_levels -%}
    {%- do education_cells.append('headcount_education_' ~ level | lower) -%}
{%- endfor -%}
{%- do education_cells.append('headcount_education_unknown') -%}

with

history as (

    select * from {{ ref('int_employee_history') }}

),

-- The first day out of service for good (pension start, dismissal TMT), dated by its own date.
leavings as (

    select
        employee_nip,
        min(period_start) as left_service_date

    from {{ ref('int_employee_service_periods') }}

    where service_effect = 'leaves' and period_end is null

    group by employee_nip

),

reporting_period as (

    select
        min(valid_from) as first_snapshot_date,
        max(last_seen_snapshot_date) as last_snapshot_date

    from history

),

month_starts as (

    select
        generate_series(
            date_trunc('month', first_snapshot_date),
            date_trunc('month', last_snapshot_date),
            interval '1 month'
        ) as month_start

    from reporting_period

),

month_ends as (

    select (month_start + interval '1 month' - interval '1 day')::date as month_end_date

    from month_starts

),

-- The active versions grouped by what the counts tell apart and by the dates that place them in months:
-- the versions of one export share their dates, so the month join below reads far fewer rows than
-- employees.
version_groups as (

    select
        history.valid_from,
        history.valid_to,
        leavings.left_service_date,
        history.opd_code,
        history.status_group,
        history.gender,
        history.golongan_group,
        history.education_level_code,
        count(*) as employees

    from history

    left join leavings
        on history.employee_nip = leavings.employee_nip

    where history.is_active_service

    group by
        history.valid_from,
        history.valid_to,
        leavings.left_service_date,
        history.opd_code,
        history.status_group,
        history.gender,
        history.golongan_group,
        history.education_level_code

),

-- An employee counts in a month when the month end falls in a validity range [valid_from, valid_to)
-- of theirs in which they are in active service, and before the day they leave service: a pensioner drops
-- out in the month their pension starts, not at the next snapshot.
active_employee_months as (

    select
        month_ends.month_end_date,
        version_groups.opd_code,
        version_groups.status_group,
        version_groups.gender,
        version_groups.golongan_group,
        version_groups.education_level_code,
        version_groups.employees

    from month_ends

    inner join version_groups
        on
            month_ends.month_end_date >= version_groups.valid_from
            and (version_groups.valid_to is null or month_ends.month_end_date < version_groups.valid_to)

    where version_groups.left_service_date is null or month_ends.month_end_date < version_groups.left_service_date

),

headcounts as (

    select
        month_end_date,
        opd_code,
        sum(employees)::integer as headcount_total,
        {%- for status_group in status_groups %}
            coalesce(sum(employees) filter (where status_group = '{{ status_group }}'), 0)::integer
                as headcount_{{ status_group | lower }},
        {%- endfor %}
        coalesce(sum(employees) filter (where gender = 'M'), 0)::integer as headcount_male,
        coalesce(sum(employees) filter (where gender = 'F'), 0)::integer as headcount_female,
        {%- for golongan_group in golongan_groups %}
            coalesce(sum(employees) filter (where golongan_group = '{{ golongan_group }}'), 0)::integer
                as headcount_golongan_{{ golongan_group | lower }},
        {%- endfor %}
        {%- for education_level in education_levels %}
            coalesce(sum(employees) filter (where education_level_code = '{{ education_level }}'), 0)::integer
                as headcount_education_{{ education_level | lower }},
        {%- endfor %}
        coalesce(sum(employees) filter (where education_level_code is null), 0)::integer
            as headcount_education_unknown

    from active_employee_months

    group by month_end_date, opd_code

),

-- A breakdown count of 1 to k-1 would single out a colleague (the OPD's only S-3, its only golongan IV):
-- small cells are suppressed in each breakdown. The OPD's headcount itself is shown.
final as (

    select
        month_end_date,
        opd_code,
        headcount_total,
        {{ suppressed_cells(status_cells) }},
        {{ suppressed_cells(['headcount_male', 'headcount_female']) }},
        {{ suppressed_cells(golongan_cells) }},
        {{ suppressed_cells(education_cells) }}

    from headcounts

)

select * from final
