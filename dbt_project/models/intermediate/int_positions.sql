with

employees as (

    select * from {{ ref('stg_siasn__pegawai') }}

),

retirement_ages as (

    select * from {{ ref('ref_bup_retirement_age') }}

),

positions as (

    select
        position_type,
        position_name,
        min(snapshot_date) as first_seen_snapshot_date,
        max(snapshot_date) as last_seen_snapshot_date

    from employees

    group by position_type, position_name

),

-- SIASN carries no position level: the BUP seed recognises it from the position name, and the matching
-- pattern with the lowest priority wins (then the longest, most specific pattern).
matched_levels as (

    select distinct on (positions.position_type, positions.position_name)
        positions.position_type,
        positions.position_name,
        retirement_ages.position_level,
        retirement_ages.retirement_age,
        retirement_ages.legal_basis as retirement_age_legal_basis,
        retirement_ages.is_confirmed as is_retirement_age_confirmed

    from positions

    inner join retirement_ages
        on
            positions.position_type = retirement_ages.position_type
            and coalesce(positions.position_name, '') ilike retirement_ages.position_name_pattern

    order by
        positions.position_type asc,
        positions.position_name asc,
        retirement_ages.match_priority asc,
        length(retirement_ages.position_name_pattern) desc,
        retirement_ages.position_name_pattern asc

),

final as (

    select
        md5(coalesce(positions.position_type, '') || '|' || coalesce(positions.position_name, '')) as position_key,
        positions.position_type,
        positions.position_name,
        matched_levels.position_level,
        matched_levels.retirement_age,
        matched_levels.retirement_age_legal_basis,
        matched_levels.is_retirement_age_confirmed,
        positions.first_seen_snapshot_date,
        positions.last_seen_snapshot_date

    from positions

    left join matched_levels
        on
            coalesce(positions.position_type, '') = coalesce(matched_levels.position_type, '')
            and coalesce(positions.position_name, '') = coalesce(matched_levels.position_name, '')

)

select * from final
