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
numbered as (

    select
        *,
        sum(
            case
                when previous_employee_snapshot_date is null then 1
                when previous_employee_snapshot_date <> previous_snapshot_date then 1
                when tracked_attributes_hash <> previous_tracked_attributes_hash then 1
                else 0
            end
        ) over (
            partition by employee_nip
            order by snapshot_date
            rows between unbounded preceding and current row
        ) as version_number

    from compared

),

versions as (

    select
        employee_nip,
        version_number,
        min(snapshot_date) as valid_from,
        max(snapshot_date) as last_seen_snapshot_date

    from numbered

    group by employee_nip, version_number

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

        numbered.opd_code,
        numbered.employee_type,
        numbered.status_group,
        numbered.legal_status_code,
        numbered.is_active_service,
        numbered.golongan,
        numbered.golongan_group,
        numbered.golongan_rank,
        numbered.position_type,
        numbered.position_name,
        numbered.position_level,
        numbered.education_level_raw,
        numbered.education_level_code,
        numbered.gender

    from versions

    inner join numbered
        on
            versions.employee_nip = numbered.employee_nip
            and versions.valid_from = numbered.snapshot_date

    inner join snapshot_sequence
        on versions.last_seen_snapshot_date = snapshot_sequence.snapshot_date

)

select * from final
