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

-- The decree sets the period: a sanction with a duration (ref_sanction, PP 94/2021 art. 8) runs from its TMT
-- for that many months, to the day before the same date that many months later, or to the last day of that
-- month when it has no such date (PostgreSQL then stops at the month's last day: from 31 August, 6 months
-- run to 28 February). The register's tmt_selesai is kept as stated_end_date; where it disagrees with the
-- duration it is a finding, never the period.
periods as (

    select
        sanctions.decree_number,
        sanctions.end_date as stated_end_date,
        case
            when sanction_types.is_dismissal then null
            when sanction_types.duration_months is not null
                then (
                    sanctions.start_date + sanction_types.duration_months * interval '1 month'
                    - case
                        when
                            extract(day from sanctions.start_date + sanction_types.duration_months * interval '1 month')
                            < extract(day from sanctions.start_date)
                            then interval '0 days'
                        else interval '1 day'
                    end
                )::date
            else sanctions.end_date
        end as end_date,
        case
            when sanction_types.is_dismissal then 'dismissal'
            when sanction_types.duration_months is not null then 'duration'
            when sanctions.end_date is not null then 'register'
            else 'start_date'
        end as end_date_basis

    from sanctions

    left join sanction_types
        on sanctions.sanction_type = sanction_types.sanction_type

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
        periods.end_date,
        periods.stated_end_date,
        periods.end_date_basis,
        case
            when periods.end_date_basis = 'duration' and periods.stated_end_date is not null
                then periods.stated_end_date = periods.end_date
        end as is_stated_end_date_consistent,
        sanction_types.duration_months,
        sanction_types.is_dismissal,
        sanction_organizations.opd_code

    from sanctions

    left join sanction_types
        on sanctions.sanction_type = sanction_types.sanction_type

    left join sanction_organizations
        on sanctions.decree_number = sanction_organizations.decree_number

    left join periods
        on sanctions.decree_number = periods.decree_number

)

select * from final
