with

states as (

    select * from {{ ref('int_employee_states') }}

),

latest_snapshot as (

    select max(snapshot_date) as snapshot_date from states

),

employee_spans as (

    select
        employee_nip,
        min(snapshot_date) as first_snapshot_date

    from states

    group by employee_nip

),

latest_states as (

    select distinct on (employee_nip) *
    from states
    order by employee_nip asc, snapshot_date desc

),

final as (

    select
        latest_states.employee_nip,
        latest_states.full_name,
        latest_states.birth_date,
        latest_states.gender,

        latest_states.employee_type,
        latest_states.status_group,
        latest_states.legal_status_code,
        latest_states.legal_status_name,
        latest_states.is_active_service,
        latest_states.tmt_cpns,
        latest_states.service_years,

        latest_states.golongan,
        latest_states.golongan_group,
        latest_states.golongan_rank,

        latest_states.position_type,
        latest_states.position_name,
        latest_states.position_level,
        latest_states.retirement_age,

        latest_states.education_level_raw,
        latest_states.education_level_code,
        latest_states.education_level_rank,

        latest_states.opd_code,

        employee_spans.first_snapshot_date,
        latest_states.snapshot_date as last_snapshot_date,
        latest_states.snapshot_date = latest_snapshot.snapshot_date as is_in_latest_snapshot

    from latest_states

    inner join employee_spans
        on latest_states.employee_nip = employee_spans.employee_nip

    cross join latest_snapshot

)

select * from final
