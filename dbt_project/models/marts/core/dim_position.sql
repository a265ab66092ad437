with

positions as (

    select * from {{ ref('int_positions') }}

),

position_types as (

    select * from {{ ref('ref_position_type') }}

),

position_levels as (

    select * from {{ ref('ref_position_level') }}

),

latest_snapshot as (

    select max(last_seen_snapshot_date) as snapshot_date from positions

),

final as (

    select
        positions.position_key,
        positions.position_type,
        positions.position_name,
        position_types.job_category,
        positions.position_level,
        position_levels.position_class,
        position_levels.level_rank,
        positions.retirement_age,
        positions.is_retirement_age_confirmed,
        positions.retirement_age_legal_basis,
        positions.first_seen_snapshot_date,
        positions.last_seen_snapshot_date,
        positions.last_seen_snapshot_date = latest_snapshot.snapshot_date as is_in_latest_snapshot

    from positions

    left join position_types
        on positions.position_type = position_types.position_type

    left join position_levels
        on positions.position_level = position_levels.position_level

    cross join latest_snapshot

)

select * from final
