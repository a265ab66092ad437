{#- Stage of each innovation on 31 December of each year, from its stage dates in the latest register. -#}
with

register as (

    select * from {{ ref('stg_inovasi__register') }}

),

forums as (

    select * from {{ ref('int_innovation_forums') }}

),

participation as (

    select * from {{ ref('fct_innovation_participation') }}

),

consulted as (

    select distinct innovation_code
    from forums

),

years as (

    select generate_series(
        (select min(extract(year from initiative_date))::integer from register),
        (select max(extract(year from register_date))::integer from register)
    ) as calendar_year

),

innovation_years as (

    select
        register.innovation_code,
        register.opd_code,
        register.innovation_form,
        years.calendar_year,
        case
            when register.rollout_date <= make_date(years.calendar_year, 12, 31) then 'Penerapan'
            when register.trial_date <= make_date(years.calendar_year, 12, 31) then 'Uji Coba'
            else 'Inisiatif'
        end as stage_at_year_end,
        extract(year from register.initiative_date)::integer = years.calendar_year as is_started_in_year,
        coalesce(extract(year from register.rollout_date)::integer = years.calendar_year, false)
            as reached_penerapan_in_year,
        consulted.innovation_code is not null as is_consulted

    from register

    inner join years
        on register.initiative_date <= make_date(years.calendar_year, 12, 31)

    left join consulted
        on register.innovation_code = consulted.innovation_code

),

asn as (

    select
        innovation_years.opd_code,
        innovation_years.calendar_year,
        count(distinct participation.employee_key)::integer as asn_involved,
        count(distinct participation.employee_key) filter (where participation.team_role = 'Ketua')::integer
            as asn_leading

    from innovation_years

    inner join participation
        on innovation_years.innovation_code = participation.innovation_code

    group by innovation_years.opd_code, innovation_years.calendar_year

),

portfolio as (

    select
        opd_code,
        calendar_year,
        count(*)::integer as innovations_total,
        count(*) filter (where is_started_in_year)::integer as innovations_started,
        count(*) filter (where reached_penerapan_in_year)::integer as innovations_reached_penerapan,
        count(*) filter (where stage_at_year_end = 'Inisiatif')::integer as innovations_inisiatif,
        count(*) filter (where stage_at_year_end = 'Uji Coba')::integer as innovations_uji_coba,
        count(*) filter (where stage_at_year_end = 'Penerapan')::integer as innovations_penerapan,
        count(*) filter (
            where innovation_form = 'Inovasi Tata Kelola Pemerintahan Daerah'
        )::integer as innovations_tata_kelola,
        count(*) filter (where innovation_form = 'Inovasi Pelayanan Publik')::integer as innovations_pelayanan_publik,
        count(*) filter (where innovation_form = 'Inovasi Daerah Lainnya')::integer as innovations_other_form,
        count(*) filter (where is_consulted)::integer as innovations_with_consultation

    from innovation_years

    group by opd_code, calendar_year

),

final as (

    select
        portfolio.opd_code,
        portfolio.calendar_year,
        portfolio.innovations_total,
        portfolio.innovations_started,
        portfolio.innovations_reached_penerapan,
        portfolio.innovations_inisiatif,
        portfolio.innovations_uji_coba,
        portfolio.innovations_penerapan,
        portfolio.innovations_tata_kelola,
        portfolio.innovations_pelayanan_publik,
        portfolio.innovations_other_form,
        portfolio.innovations_with_consultation,
        coalesce(asn.asn_involved, 0) as asn_involved,
        coalesce(asn.asn_leading, 0) as asn_leading

    from portfolio

    left join asn
        on
            portfolio.opd_code = asn.opd_code
            and portfolio.calendar_year = asn.calendar_year

)

select * from final
