with

organizations as (

    select * from {{ ref('ref_opd') }}

),

final as (

    select
        opd_code,
        valid_from,
        valid_to,
        opd_name,
        opd_type,
        parent_opd_code,
        coalesce(valid_from <= current_date, true)
        and coalesce(valid_to >= current_date, true) as is_current,
        legal_basis

    from organizations

)

select * from final
