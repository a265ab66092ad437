with

yearly_jp as (

    select * from {{ ref('int_rule_input__yearly_jp') }}

),

final as (

    select
        yearly_jp.total_jp,
        yearly_jp.days_in_service,
        yearly_jp.year_days,
        {{ jp_minimum_in_service('yearly_jp.days_in_service', 'yearly_jp.year_days') }} as jp_minimum,
        {{ meets_jp_yearly_minimum('yearly_jp.total_jp', 'yearly_jp.days_in_service', 'yearly_jp.year_days') }}
            as meets_jp_yearly_minimum

    from yearly_jp

)

select * from final
