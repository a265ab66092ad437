with

compliance as (

    select * from {{ ref('mart_jp_compliance') }}

),

opd_years as (

    select
        opd_code,
        calendar_year,
        count(*)::integer as employees,
        count(*) filter (where meets_jp_minimum)::integer as compliant_employees,
        count(*) filter (where not meets_jp_minimum)::integer as non_compliant_employees,
        sum(total_jp) as total_jp,
        round(avg(total_jp), 2) as average_jp,
        sum(jp_shortfall) as total_jp_shortfall,
        max(jp_minimum) as jp_minimum,
        bool_and(is_complete_year) as is_complete_year

    from compliance

    group by opd_code, calendar_year

),

-- Fewer than k (non-)compliant employees would tell whether a colleague met the minimum; JP totals of
-- fewer than k employees would tell their JP.
suppressed as (

    select
        opd_code,
        calendar_year,
        {{ suppressed_cells(['compliant_employees', 'non_compliant_employees']) }},
        employees >= {{ pembina_setting('k_anonymity_k', 'integer') }} as is_large_enough

    from opd_years

),

final as (

    select
        opd_years.opd_code,
        opd_years.calendar_year,
        opd_years.employees,
        suppressed.compliant_employees,
        suppressed.non_compliant_employees,
        round(100.0 * suppressed.compliant_employees / opd_years.employees, 2) as compliance_share_pct,
        case when suppressed.is_large_enough then opd_years.total_jp end as total_jp,
        case when suppressed.is_large_enough then opd_years.average_jp end as average_jp,
        case when suppressed.is_large_enough then opd_years.total_jp_shortfall end as total_jp_shortfall,
        opd_years.jp_minimum,
        opd_years.is_complete_year

    from opd_years

    inner join suppressed
        on
            opd_years.opd_code = suppressed.opd_code
            and opd_years.calendar_year = suppressed.calendar_year

)

select * from final
