with

employees as (

    select * from {{ ref('int_employee_latest') }}

),

measured as (

    select
        *,
        date_part('year', age(last_snapshot_date, birth_date))::integer as age_years,
        coalesce(date_part('year', age(last_snapshot_date, tmt_cpns))::integer, service_years) as years_of_service,
        -- Pension starts on the first day of the month after the BUP is reached.
        {{ pension_start_date('birth_date', 'retirement_age') }} as expected_retirement_date

    from employees

),

final as (

    select
        {{ employee_key('employee_nip') }} as employee_key,
        gender,
        {{ five_year_band('age_years') }} as age_band,

        employee_type,
        status_group,
        legal_status_code,
        legal_status_name,
        is_active_service,
        {{ five_year_band('years_of_service') }} as years_of_service_band,

        opd_code,
        golongan,
        golongan_group,
        golongan_rank,
        position_type,
        position_level,
        education_level_code,
        education_level_rank,

        retirement_age,
        expected_retirement_date,

        first_snapshot_date,
        last_snapshot_date,
        is_in_latest_snapshot

    from measured

)

select * from final
