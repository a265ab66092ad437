with

scores as (

    select * from {{ ref('int_rule_input__ip_asn_scores') }}

),

final as (

    select
        ip_asn_score,
        {{ ip_asn_category('scores.ip_asn_score') }} as ip_asn_category

    from scores

)

select * from final
