with

states as (

    select * from {{ ref('int_employee_states') }}

),

snapshot_bounds as (

    select max(snapshot_date) as latest_snapshot_date from states

),

-- Only snapshots that show the employee in active service count, so the attributes describe the employee
-- while in service.
active_states as (

    select
        *,
        extract(year from snapshot_date)::integer as calendar_year

    from states

    where is_active_service

),

last_active_states as (

    select distinct on (employee_nip, calendar_year) *
    from active_states
    order by employee_nip asc, calendar_year asc, snapshot_date desc

),

final as (

    select
        last_active_states.employee_nip,
        {{ employee_key('last_active_states.employee_nip') }} as employee_key,
        last_active_states.calendar_year,
        last_active_states.snapshot_date,
        last_active_states.opd_code,
        last_active_states.status_group,
        last_active_states.employee_type,
        last_active_states.legal_status_code,
        last_active_states.education_level_code,
        last_active_states.position_type,
        last_active_states.position_level,
        last_active_states.golongan,
        -- A year is complete when the latest snapshot is on or after its 31 December.
        make_date(last_active_states.calendar_year, 12, 31) <= snapshot_bounds.latest_snapshot_date
            as is_complete_year

    from last_active_states

    cross join snapshot_bounds

)

select * from final
