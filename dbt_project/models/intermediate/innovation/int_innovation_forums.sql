-- One row per innovation and forum where residents were consulted on it.
with

register as (

    select * from {{ ref('stg_inovasi__register') }}

),

final as (

    select distinct
        register.innovation_code,
        btrim(forum.code) as forum_code

    from register

    cross join lateral regexp_split_to_table(register.forum_list, ';') as forum (code)

    where btrim(forum.code) <> ''

)

select * from final
