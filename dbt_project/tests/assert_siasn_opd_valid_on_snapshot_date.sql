{{ config(severity='warn') }}

-- SIASN should place employees only in OPDs that exist on the snapshot date (ref_opd validity is
-- inclusive). A hit means an export still using a dissolved OPD, or a ref_opd version missing.
with

employees as (

    select * from {{ ref('stg_siasn__pegawai') }}

),

organizations as (

    select * from {{ ref('ref_opd') }}

)

select
    employees.snapshot_date,
    employees.opd_code,
    count(*) as employee_count

from employees

where
    not exists (
        select 1
        from organizations
        where
            organizations.opd_code = employees.opd_code
            and employees.snapshot_date >= coalesce(organizations.valid_from, '-infinity'::date)
            and employees.snapshot_date <= coalesce(organizations.valid_to, 'infinity'::date)
    )

group by employees.snapshot_date, employees.opd_code
