with

sanctions as (

    select * from {{ ref('stg_discipline__hukuman') }}

),

sanction_types as (

    select * from {{ ref('ref_sanction') }}

),

history as (

    select * from {{ ref('int_employee_history') }}

),

-- OPD at the decree date: the employee's SIASN history version in effect on that date or, for a date
-- before the first snapshot that shows the employee (or after they left), the nearest version.
sanction_organizations as (

    select distinct on (sanctions.decree_number)
        sanctions.decree_number,
        history.opd_code

    from sanctions

    inner join history
        on sanctions.employee_nip = history.employee_nip

    order by
        sanctions.decree_number asc,
        {{ history_version_distance('sanctions.decree_date', 'history') }} asc,
        history.valid_from desc

),

final as (

    select
        -- keyed like employee_key: decree numbers follow a guessable pattern, so a plain hash could be reversed
        {{ keyed_hash('sanctions.decree_number') }} as sanction_key,
        {{ employee_key('sanctions.employee_nip') }} as employee_key,
        sanctions.decree_date,
        extract(year from sanctions.decree_date)::integer as decree_year,
        sanctions.sanction_level,
        sanctions.sanction_type,
        sanction_types.sanction_code,
        sanction_types.sanction_level_rank as severity_rank,
        sanctions.start_date,
        sanctions.end_date,
        sanction_types.duration_months,
        sanction_types.is_dismissal,
        sanction_organizations.opd_code

    from sanctions

    left join sanction_types
        on sanctions.sanction_type = sanction_types.sanction_type

    left join sanction_organizations
        on sanctions.decree_number = sanction_organizations.decree_number

)

select * from final
