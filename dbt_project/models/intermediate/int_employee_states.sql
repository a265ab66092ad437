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

positions as (

    select * from {{ ref('int_positions') }}

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
        positions.position_level,
        positions.retirement_age,

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

    -- SIASN carries no position level: int_positions recognises it from the position name (BUP seed).
    left join positions
        on
            coalesce(employees.position_type, '') = coalesce(positions.position_type, '')
            and coalesce(employees.position_name, '') = coalesce(positions.position_name, '')

)

select * from enriched
