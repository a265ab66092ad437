with

employees as (

    select * from {{ ref('stg_siasn__pegawai') }}

),

employee_types as (

    select * from {{ ref('ref_jenis_pegawai') }}

),

legal_statuses as (

    select * from {{ ref('ref_kedudukan_hukum') }}

),

golongan as (

    select * from {{ ref('ref_golongan') }}

),

education_levels as (

    select * from {{ ref('ref_education_level') }}

),

retirement_ages as (

    select * from {{ ref('ref_bup_retirement_age') }}

),

-- SIASN carries no position level: the BUP seed recognises it from the position name, and the
-- matching pattern with the lowest priority wins.
position_levels as (

    select distinct on (employees.employee_nip, employees.snapshot_date)
        employees.employee_nip,
        employees.snapshot_date,
        retirement_ages.position_level,
        retirement_ages.retirement_age

    from employees

    inner join retirement_ages
        on
            employees.position_type = retirement_ages.position_type
            and coalesce(employees.position_name, '') ilike retirement_ages.position_name_pattern

    order by
        employees.employee_nip asc,
        employees.snapshot_date asc,
        retirement_ages.match_priority asc,
        length(retirement_ages.position_name_pattern) desc,
        retirement_ages.position_name_pattern asc

),

enriched as (

    select
        employees.employee_nip,
        employees.snapshot_date,
        employees.full_name,
        employees.birth_date,
        employees.gender,

        employees.employee_type,
        employee_types.status_group,
        employees.legal_status_code,
        legal_statuses.legal_status_name,
        legal_statuses.is_active_service,
        employees.tmt_cpns,
        employees.service_years,

        employees.golongan_current as golongan,
        golongan.golongan_scheme,
        golongan.golongan_group,
        golongan.golongan_rank,
        employees.tmt_golongan,

        employees.position_type,
        employees.position_name,
        position_levels.position_level,
        position_levels.retirement_age,

        employees.education_level_raw,
        education_levels.education_level_code,
        education_levels.education_level_rank,

        employees.opd_code

    from employees

    left join employee_types
        on employees.employee_type = employee_types.employee_type

    left join legal_statuses
        on employees.legal_status_code = legal_statuses.legal_status_code

    left join golongan
        on employees.golongan_current = golongan.golongan_code

    left join education_levels
        on employees.education_level_raw = education_levels.education_level_raw

    left join position_levels
        on
            employees.employee_nip = position_levels.employee_nip
            and employees.snapshot_date = position_levels.snapshot_date

)

select * from enriched
