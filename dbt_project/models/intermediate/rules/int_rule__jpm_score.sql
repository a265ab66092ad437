with

competency_levels as (

    select * from {{ ref('int_rule_input__competency_levels') }}

),

final as (

    select
        competency_levels.assessment_id,
        {{ jpm_score_pct('competency_levels.assessed_level', 'competency_levels.standard_level') }} as jpm_pct

    from competency_levels

    group by competency_levels.assessment_id

)

select * from final
