with

employees as (

    select * from {{ ref('int_employee_latest') }}

),

final as (

    select
        {{ employee_key('employee_nip') }} as employee_key,
        employee_nip as nip,
        full_name,
        {{ pension_start_date('birth_date', 'retirement_age') }} as expected_retirement_date

    from employees

)

select * from final
