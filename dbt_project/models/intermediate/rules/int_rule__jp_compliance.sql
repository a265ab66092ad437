with

yearly_jp as (

    select * from {{ ref('int_rule_input__yearly_jp') }}

),

final as (

    select
        yearly_jp.total_jp,
        {{ meets_jp_yearly_minimum('yearly_jp.total_jp') }} as meets_jp_yearly_minimum

    from yearly_jp

)

select * from final
