-- One row per innovation and service unit it changes.
with

register as (

    select * from {{ ref('stg_inovasi__register') }}

),

final as (

    select distinct
        register.innovation_code,
        btrim(unit.code) as service_unit_code

    from register

    cross join lateral regexp_split_to_table(register.service_unit_list, ';') as unit (code)

    where btrim(unit.code) <> ''

)

select * from final
