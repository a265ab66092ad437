with

responses as (

    select * from {{ ref('stg_skm__responses') }}

),

units as (

    select * from {{ ref('ref_service_unit') }}

),

monthly as (

    select
        responses.service_unit_code,
        date_trunc('month', responses.submitted_date)::date as month_start,
        count(*) as respondents,
        sum(
            responses.answer_u1 + responses.answer_u2 + responses.answer_u3 + responses.answer_u4
            + responses.answer_u5 + responses.answer_u6 + responses.answer_u7 + responses.answer_u8
            + responses.answer_u9
        ) as answer_points,
        avg(responses.answer_u1) as nrr_u1,
        avg(responses.answer_u2) as nrr_u2,
        avg(responses.answer_u3) as nrr_u3,
        avg(responses.answer_u4) as nrr_u4,
        avg(responses.answer_u5) as nrr_u5,
        avg(responses.answer_u6) as nrr_u6,
        avg(responses.answer_u7) as nrr_u7,
        avg(responses.answer_u8) as nrr_u8,
        avg(responses.answer_u9) as nrr_u9,
        count(responses.suggestion_masked) as suggestions

    from responses

    group by responses.service_unit_code, date_trunc('month', responses.submitted_date)

),

final as (

    select
        monthly.service_unit_code,
        units.opd_code,
        monthly.month_start,
        monthly.respondents,
        monthly.answer_points,
        monthly.nrr_u1,
        monthly.nrr_u2,
        monthly.nrr_u3,
        monthly.nrr_u4,
        monthly.nrr_u5,
        monthly.nrr_u6,
        monthly.nrr_u7,
        monthly.nrr_u8,
        monthly.nrr_u9,
        {{ skm_ikm('monthly.answer_points::numeric / (9 * monthly.respondents)') }} as ikm,
        monthly.suggestions

    from monthly

    inner join units
        on monthly.service_unit_code = units.service_unit_code

)

select * from final
