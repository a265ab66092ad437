with

history as (

    select * from {{ ref('int_employee_history') }}

),

states as (

    select * from {{ ref('int_employee_states') }}

),

-- read apart from `states` (a CTE read more than once is computed once, without the table's statistics)
active_snapshots as (

    select
        employee_nip,
        snapshot_date

    from {{ ref('int_employee_states') }}

    where is_active_service

),

status_rules as (

    select * from {{ ref('ref_service_status_rule') }}

),

sanctions as (

    select * from {{ ref('stg_discipline__hukuman') }}

),

sanction_types as (

    select * from {{ ref('ref_sanction') }}

),

programmes as (

    select * from {{ ref('int_university_programme_latest') }}

),

-- The pension start from the birth date and the BUP of the last post held in active service.
last_active_states as (

    select distinct on (employee_nip)
        employee_nip,
        snapshot_date as last_active_snapshot_date,
        {{ pension_start_date('birth_date', 'retirement_age') }} as pension_start_date

    from states

    where is_active_service

    order by employee_nip asc, snapshot_date desc

),

dismissals as (

    select
        sanctions.employee_nip,
        min(sanctions.start_date) as dismissal_date

    from sanctions

    inner join sanction_types
        on sanctions.sanction_type = sanction_types.sanction_type

    where sanction_types.is_dismissal

    group by sanctions.employee_nip

),

study_programmes as (

    select
        employee_nip,
        start_date,
        end_date

    from programmes

    where program_type = 'tugas_belajar'

),

versions as (

    select
        history.*,
        lag(history.last_seen_snapshot_date) over (
            partition by history.employee_nip order by history.valid_from
        ) as previous_seen_snapshot_date

    from history

),

-- The first snapshot after a leaving version that shows the employee in service again: one join of the
-- few leaving versions to the states (a subquery per version scanned every state once per version).
leaving_returns as (

    select
        versions.employee_nip,
        versions.valid_from,
        min(active_snapshots.snapshot_date) as next_active_snapshot_date

    from versions

    inner join status_rules
        on versions.legal_status_code = status_rules.legal_status_code

    inner join active_snapshots
        on
            versions.employee_nip = active_snapshots.employee_nip
            and versions.valid_from < active_snapshots.snapshot_date

    where status_rules.service_effect = 'leaves'

    group by versions.employee_nip, versions.valid_from

),

-- A version of a status of ref_service_status_rule, with the date its source gives the event. That date
-- must lie after the snapshot before, which still showed another status, and not after the snapshot that
-- first shows it; otherwise the version's first snapshot dates it.
status_events as (

    select
        versions.employee_nip,
        versions.legal_status_code,
        versions.valid_from,
        versions.valid_to,
        versions.last_seen_snapshot_date,
        versions.previous_seen_snapshot_date,
        status_rules.service_effect,
        status_rules.event_kind,
        status_rules.event_date_rule,
        case status_rules.event_date_rule
            when 'pension_start' then last_active_states.pension_start_date
            when 'dismissal_decree' then dismissals.dismissal_date
            when 'study_programme' then (
                select max(study_programmes.start_date)
                from study_programmes
                where
                    study_programmes.employee_nip = versions.employee_nip
                    and study_programmes.start_date <= versions.valid_from
            )
        end as source_date,
        case when status_rules.event_date_rule = 'study_programme' then (
            select min(study_programmes.end_date)
            from study_programmes
            where
                study_programmes.employee_nip = versions.employee_nip
                and study_programmes.start_date <= versions.valid_from
                and study_programmes.end_date >= versions.last_seen_snapshot_date
        ) end as source_end_date,
        leaving_returns.next_active_snapshot_date

    from versions

    inner join status_rules
        on versions.legal_status_code = status_rules.legal_status_code

    left join last_active_states
        on versions.employee_nip = last_active_states.employee_nip

    left join dismissals
        on versions.employee_nip = dismissals.employee_nip

    left join leaving_returns
        on
            versions.employee_nip = leaving_returns.employee_nip
            and versions.valid_from = leaving_returns.valid_from

),

dated_status_events as (

    select
        employee_nip,
        service_effect,
        event_kind,
        case
            when
                source_date <= valid_from
                and (previous_seen_snapshot_date is null or source_date > previous_seen_snapshot_date)
                then source_date
            else valid_from
        end as period_start,
        case
            -- a leaver is out until a later snapshot shows them in service again
            when service_effect = 'leaves' then next_active_snapshot_date
            -- a pause ends when its programme ends (the day after its last day) or at the first snapshot
            -- that no longer shows it
            when source_end_date < valid_to then source_end_date + 1
            else valid_to
        end as period_end,
        case
            when
                source_date <= valid_from
                and (previous_seen_snapshot_date is null or source_date > previous_seen_snapshot_date)
                then event_date_rule
            else 'snapshot'
        end as date_source,
        legal_status_code

    from status_events

),

-- Retirement and dismissal also end the service of someone the exports simply stop showing: dated by the
-- pension start or the dismissal decree when no snapshot on or after that date shows them in service.
source_events as (

    select
        employee_nip,
        'leaves' as service_effect,
        'retired' as event_kind,
        pension_start_date as period_start,
        null::date as period_end,
        'pension_start' as date_source,
        null as legal_status_code

    from last_active_states

    where pension_start_date > last_active_snapshot_date

    union all

    select
        dismissals.employee_nip,
        'leaves' as service_effect,
        'dismissed' as event_kind,
        dismissals.dismissal_date as period_start,
        null::date as period_end,
        'dismissal_decree' as date_source,
        null as legal_status_code

    from dismissals

    inner join last_active_states
        on dismissals.employee_nip = last_active_states.employee_nip

    where dismissals.dismissal_date > last_active_states.last_active_snapshot_date

),

final as (

    select * from dated_status_events

    union

    select * from source_events

)

select
    employee_nip,
    service_effect,
    event_kind,
    period_start,
    period_end,
    date_source,
    legal_status_code

from final
