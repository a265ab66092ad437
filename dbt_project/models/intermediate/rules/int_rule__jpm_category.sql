with

percentages as (

    select * from {{ ref('int_rule_input__jpm_percentages') }}

),

final as (

    select
        jpm_pct,
        scale_code,
        {{ jpm_category('percentages.jpm_pct') }} as jpm_category_active_scale,
        {{ jpm_category('percentages.jpm_pct', 'percentages.scale_code') }} as jpm_category_given_scale

    from percentages

)

select * from final
