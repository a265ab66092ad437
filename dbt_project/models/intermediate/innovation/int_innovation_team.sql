-- One row per innovation and team member: the register's `NIP:Peran` list split (the contract makes sure
-- every member is well formed and named once).
with

register as (

    select * from {{ ref('stg_inovasi__register') }}

),

members as (

    select
        register.innovation_code,
        btrim(member.text) as member_text

    from register

    cross join lateral regexp_split_to_table(register.team_list, ';') as member (text)

    where btrim(member.text) <> ''

),

final as (

    select
        innovation_code,
        btrim(split_part(member_text, ':', 1)) as employee_nip,
        btrim(split_part(member_text, ':', 2)) as team_role

    from members

)

select * from final
