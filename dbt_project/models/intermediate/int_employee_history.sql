{#- Attributes whose change starts a new version. The others are functions of these (seed lookups). -#}
{%- set tracked_columns = [
    'opd_code',
    'employee_type',
    'legal_status_code',
    'golongan',
    'position_type',
    'position_name',
    'education_level_raw',
    'gender',
] -%}

with

states as (

    select * from {{ ref('int_employee_states') }}

),

snapshot_dates as (

    select distinct snapshot_date from states

),

snapshot_sequence as (

    select
        snapshot_date,
        lag(snapshot_date) over (order by snapshot_date) as previous_snapshot_date,
        lead(snapshot_date) over (order by snapshot_date) as next_snapshot_date

    from snapshot_dates

),

fingerprinted as (

    select
        *,
        -- record text output tells NULL from '' apart, so equal hashes mean equal attributes
        md5(row({{ tracked_columns | join(', ') }})::text) as tracked_attributes_hash

    from states

),

compared as (

    select
        fingerprinted.*,
        snapshot_sequence.previous_snapshot_date,
        lag(fingerprinted.snapshot_date) over employee_snapshots as previous_employee_snapshot_date,
        lag(fingerprinted.tracked_attributes_hash) over employee_snapshots as previous_tracked_attributes_hash

    from fingerprinted

    inner join snapshot_sequence
        on fingerprinted.snapshot_date = snapshot_sequence.snapshot_date

    window employee_snapshots as (partition by fingerprinted.employee_nip order by fingerprinted.snapshot_date)

),

-- A version starts where the employee first appears, reappears after missing from a snapshot,
-- or differs from the previous snapshot in a tracked attribute.
marked as (

    select
        *,
        case
            when previous_employee_snapshot_date is null then true
            when previous_employee_snapshot_date <> previous_snapshot_date then true
            else tracked_attributes_hash <> previous_tracked_attributes_hash
        end as starts_version

    from compared

),

-- A version's last snapshot is the one before the next version starts (or the employee's last). The
-- windows keep the order of `compared`, so the snapshots are sorted once: no grouping and no join back.
bounded as (

    select
        *,
        coalesce(lead(starts_version) over employee_snapshots, true) as ends_version,
        sum(starts_version::integer) over (employee_snapshots rows unbounded preceding) as version_number

    from marked

    window employee_snapshots as (partition by employee_nip order by snapshot_date)

),

versions as (

    select
        *,
        snapshot_date as valid_from,
        case
            when ends_version then snapshot_date
            else lead(snapshot_date) over (partition by employee_nip order by snapshot_date)
        end as last_seen_snapshot_date

    from bounded

    where starts_version or ends_version

),

-- A version ends at the first snapshot that no longer shows it: a change, or the employee's absence.
final as (

    select
        versions.employee_nip,
        versions.version_number,
        versions.valid_from,
        snapshot_sequence.next_snapshot_date as valid_to,
        versions.last_seen_snapshot_date,
        snapshot_sequence.next_snapshot_date is null as is_current,

        versions.opd_code,
        versions.employee_type,
        versions.status_group,
        versions.legal_status_code,
        versions.is_active_service,
        versions.golongan,
        versions.golongan_group,
        versions.golongan_rank,
        versions.position_type,
        versions.position_name,
        versions.position_level,
        versions.education_level_raw,
        versions.education_level_code,
        versions.gender

    from versions

    inner join snapshot_sequence
        on versions.last_seen_snapshot_date = snapshot_sequence.snapshot_date

    where versions.starts_version

)

select * from final
