with

register as (

    select * from {{ ref('stg_inovasi__register') }}

),

team as (

    select * from {{ ref('int_innovation_team') }}

),

final as (

    select
        {{ employee_key('team.employee_nip') }} as employee_key,
        register.innovation_code,
        team.team_role,
        register.opd_code,
        register.innovation_form,
        register.stage,
        register.stage_rank,
        register.initiative_date,
        extract(year from register.initiative_date)::integer as initiative_year,
        register.trial_date,
        register.rollout_date,
        extract(year from register.rollout_date)::integer as rollout_year,
        register.rollout_date is not null as is_rolled_out

    from team

    inner join register
        on team.innovation_code = register.innovation_code

)

select * from final
