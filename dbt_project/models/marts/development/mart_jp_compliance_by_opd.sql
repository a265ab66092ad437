with

compliance as (

    select * from {{ ref('mart_jp_compliance') }}

),

opd_years as (

    select
        opd_code,
        calendar_year,
        count(*) filter (where is_jp_duty)::integer as employees,
        count(*) filter (where is_jp_duty and not is_full_year)::integer as part_year_employees,
        count(*) filter (where meets_jp_minimum)::integer as compliant_employees,
        count(*) filter (where not meets_jp_minimum)::integer as non_compliant_employees,
        sum(total_jp) filter (where is_jp_duty) as total_jp,
        round(avg(total_jp) filter (where is_jp_duty), 2) as average_jp,
        sum(jp_shortfall) as total_jp_shortfall,
        count(*) filter (where status_group = 'PPPK')::integer as pppk_employees,
        sum(total_jp) filter (where status_group = 'PPPK') as pppk_total_jp,
        round(avg(total_jp) filter (where status_group = 'PPPK'), 2) as pppk_average_jp,
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
        employees >= {{ pembina_setting('k_anonymity_k', 'integer') }} as is_large_enough,
        pppk_employees >= {{ pembina_setting('k_anonymity_k', 'integer') }} as is_pppk_large_enough

    from opd_years

),

final as (

    select
        opd_years.opd_code,
        opd_years.calendar_year,
        opd_years.employees,
        opd_years.part_year_employees,
        suppressed.compliant_employees,
        suppressed.non_compliant_employees,
        round(100.0 * suppressed.compliant_employees / nullif(opd_years.employees, 0), 2) as compliance_share_pct,
        case when suppressed.is_large_enough then opd_years.total_jp end as total_jp,
        case when suppressed.is_large_enough then opd_years.average_jp end as average_jp,
        case when suppressed.is_large_enough then opd_years.total_jp_shortfall end as total_jp_shortfall,
        opd_years.pppk_employees,
        case when suppressed.is_pppk_large_enough then opd_years.pppk_total_jp end as pppk_total_jp,
        case when suppressed.is_pppk_large_enough then opd_years.pppk_average_jp end as pppk_average_jp,
        {{ pembina_setting('jp_yearly_minimum', 'numeric') }} as jp_minimum,
        opd_years.is_complete_year

    from opd_years

    inner join suppressed
        on
            opd_years.opd_code = suppressed.opd_code
            and opd_years.calendar_year = suppressed.calendar_year

)

select * from final
