with

compliance as (

    select * from {{ ref('mart_jp_compliance') }}

),

final as (

    select
        opd_code,
        calendar_year,
        count(*)::integer as employees,
        count(*) filter (where meets_jp_minimum)::integer as compliant_employees,
        round(100.0 * count(*) filter (where meets_jp_minimum) / count(*), 2) as compliance_share_pct,
        sum(total_jp) as total_jp,
        round(avg(total_jp), 2) as average_jp,
        sum(jp_shortfall) as total_jp_shortfall,
        max(jp_minimum) as jp_minimum,
        bool_and(is_complete_year) as is_complete_year

    from compliance

    group by opd_code, calendar_year

)

select * from final
