with

durations as (

    select * from {{ ref('int_rule_input__training_durations') }}

),

final as (

    select
        training_type,
        duration,
        duration_unit,
        round({{ training_jp('durations.training_type', 'durations.duration', 'durations.duration_unit') }}, 2) as jp

    from durations

)

select * from final
