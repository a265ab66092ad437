with

monthly as (

    select * from {{ ref('int_service_unit_satisfaction') }}

),

responses as (

    select * from {{ ref('stg_skm__responses') }}

),

units as (

    select * from {{ ref('ref_service_unit') }}

),

-- Semesters (January-June, July-December) from the first month with responses to the latest one.
semesters as (

    select
        semester_start::date as period_start,
        (semester_start + interval '6 months' - interval '1 day')::date as period_end,
        extract(year from semester_start)::integer as survey_year,
        case when extract(month from semester_start) = 1 then 1 else 2 end as semester

    from generate_series(
        (select date_trunc('year', min(m.month_start)) from monthly as m),
        (select max(m.month_start) from monthly as m),
        interval '6 months'
    ) as semester_start

),

latest as (

    select max(r.submitted_date) as latest_response_date from responses as r

),

first_months as (

    select
        m.service_unit_code,
        min(m.month_start) as first_month_start

    from monthly as m

    group by m.service_unit_code

),

-- Each unit, every semester from its first with responses: a semester without a survey shows 0 respondents.
unit_semesters as (

    select
        units.service_unit_code,
        units.service_unit_name,
        units.opd_code,
        units.annual_service_users,
        semesters.period_start,
        semesters.period_end,
        semesters.survey_year,
        semesters.semester

    from units

    inner join first_months
        on units.service_unit_code = first_months.service_unit_code

    inner join semesters
        on first_months.first_month_start <= semesters.period_end

),

-- A semester pools its months: NRR weighted by each month's respondents, IKM from the answer points.
pooled as (

    select
        unit_semesters.service_unit_code,
        unit_semesters.period_start,
        coalesce(sum(monthly.respondents), 0) as respondents,
        sum(monthly.answer_points) as answer_points,
        sum(monthly.nrr_u1 * monthly.respondents) / sum(monthly.respondents) as nrr_u1,
        sum(monthly.nrr_u2 * monthly.respondents) / sum(monthly.respondents) as nrr_u2,
        sum(monthly.nrr_u3 * monthly.respondents) / sum(monthly.respondents) as nrr_u3,
        sum(monthly.nrr_u4 * monthly.respondents) / sum(monthly.respondents) as nrr_u4,
        sum(monthly.nrr_u5 * monthly.respondents) / sum(monthly.respondents) as nrr_u5,
        sum(monthly.nrr_u6 * monthly.respondents) / sum(monthly.respondents) as nrr_u6,
        sum(monthly.nrr_u7 * monthly.respondents) / sum(monthly.respondents) as nrr_u7,
        sum(monthly.nrr_u8 * monthly.respondents) / sum(monthly.respondents) as nrr_u8,
        sum(monthly.nrr_u9 * monthly.respondents) / sum(monthly.respondents) as nrr_u9,
        coalesce(sum(monthly.suggestions), 0) as suggestions

    from unit_semesters

    left join monthly
        on
            unit_semesters.service_unit_code = monthly.service_unit_code
            and monthly.month_start between unit_semesters.period_start and unit_semesters.period_end

    group by unit_semesters.service_unit_code, unit_semesters.period_start

),

response_semesters as (

    select
        r.service_unit_code,
        r.suggestion_topic,
        (
            date_trunc('year', r.submitted_date)
            + case when extract(month from r.submitted_date) > 6 then interval '6 months' else interval '0' end
        )::date as period_start

    from responses as r

    where r.suggestion_topic is not null

),

topics as (

    select
        response_semesters.service_unit_code,
        response_semesters.period_start,
        response_semesters.suggestion_topic,
        count(*) as mentions

    from response_semesters

    group by
        response_semesters.service_unit_code,
        response_semesters.period_start,
        response_semesters.suggestion_topic

),

main_topics as (

    select distinct on (topics.service_unit_code, topics.period_start)
        topics.service_unit_code,
        topics.period_start,
        topics.suggestion_topic as main_suggestion_topic

    from topics

    order by topics.service_unit_code asc, topics.period_start asc, topics.mentions desc, topics.suggestion_topic asc

),

scored as (

    select
        unit_semesters.*,
        pooled.respondents,
        pooled.nrr_u1,
        pooled.nrr_u2,
        pooled.nrr_u3,
        pooled.nrr_u4,
        pooled.nrr_u5,
        pooled.nrr_u6,
        pooled.nrr_u7,
        pooled.nrr_u8,
        pooled.nrr_u9,
        {{ skm_ikm('pooled.answer_points::numeric / (9 * nullif(pooled.respondents, 0))') }} as ikm,
        pooled.suggestions,
        main_topics.main_suggestion_topic,
        round(unit_semesters.annual_service_users / 2.0)::integer as service_users_in_period

    from unit_semesters

    inner join pooled
        on
            unit_semesters.service_unit_code = pooled.service_unit_code
            and unit_semesters.period_start = pooled.period_start

    left join main_topics
        on
            unit_semesters.service_unit_code = main_topics.service_unit_code
            and unit_semesters.period_start = main_topics.period_start

),

final as (

    select
        scored.service_unit_code,
        scored.service_unit_name,
        scored.opd_code,
        scored.survey_year || '-S' || scored.semester as period_label,
        scored.survey_year,
        scored.semester,
        scored.period_start,
        scored.period_end,
        scored.period_end < (select l.latest_response_date from latest as l) as is_period_complete,
        scored.respondents::integer as respondents,
        round(scored.nrr_u1, 2) as nrr_u1,
        round(scored.nrr_u2, 2) as nrr_u2,
        round(scored.nrr_u3, 2) as nrr_u3,
        round(scored.nrr_u4, 2) as nrr_u4,
        round(scored.nrr_u5, 2) as nrr_u5,
        round(scored.nrr_u6, 2) as nrr_u6,
        round(scored.nrr_u7, 2) as nrr_u7,
        round(scored.nrr_u8, 2) as nrr_u8,
        round(scored.nrr_u9, 2) as nrr_u9,
        scored.ikm,
        {{ skm_quality_code('scored.ikm') }} as quality_code,
        (
            select categories.quality_label
            from {{ ref('ref_skm_quality_category') }} as categories
            where categories.quality_code = {{ skm_quality_code('scored.ikm') }}
        ) as quality_label,
        scored.service_users_in_period,
        {{ skm_minimum_sample('scored.service_users_in_period') }} as minimum_sample,
        scored.respondents < {{ skm_minimum_sample('scored.service_users_in_period') }} as is_sample_too_small,
        scored.suggestions::integer as suggestions,
        scored.main_suggestion_topic

    from scored

)

select * from final
