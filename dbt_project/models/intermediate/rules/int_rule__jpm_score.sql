with

competency_levels as (

    select * from {{ ref('int_rule_input__competency_levels') }}

),

credited as (

    select
        competency_levels.assessment_id,
        competency_levels.standard_level,
        {{ jpm_credited_level(
            'competency_levels.assessed_level', 'competency_levels.standard_level'
        ) }} as credited_level

    from competency_levels

),

final as (

    select
        assessment_id,
        round(100 * sum(credited_level) / nullif(sum(standard_level), 0), 2) as jpm_pct

    from credited

    group by assessment_id

)

select * from final
