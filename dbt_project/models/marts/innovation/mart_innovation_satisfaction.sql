{#- Satisfaction (SKM) of each unit an innovation changes, in the months before and after it reached
    penerapan: the setting innovation_satisfaction_window_months months before the month of its rollout
    date against as many months after it (the rollout month itself is the changeover and counts in
    neither), pooling the months' respondents (int_service_unit_satisfaction's answer points). -#}
with

register as (

    select * from {{ ref('stg_inovasi__register') }}

),

innovation_units as (

    select * from {{ ref('int_innovation_service_units') }}

),

satisfaction as (

    select * from {{ ref('int_service_unit_satisfaction') }}

),

windows as (

    select
        register.innovation_code,
        register.opd_code,
        register.innovation_form,
        register.rollout_date,
        innovation_units.service_unit_code,
        date_trunc('month', register.rollout_date)::date as rollout_month,
        {{ pembina_setting('innovation_satisfaction_window_months', 'integer') }} as window_months

    from register

    inner join innovation_units
        on register.innovation_code = innovation_units.innovation_code

    where register.rollout_date is not null

),

pooled as (

    select
        windows.innovation_code,
        windows.service_unit_code,
        sum(satisfaction.respondents) filter (where satisfaction.month_start < windows.rollout_month)
            as respondents_before,
        sum(satisfaction.answer_points) filter (where satisfaction.month_start < windows.rollout_month)
            as answer_points_before,
        sum(satisfaction.respondents) filter (where satisfaction.month_start > windows.rollout_month)
            as respondents_after,
        sum(satisfaction.answer_points) filter (where satisfaction.month_start > windows.rollout_month)
            as answer_points_after

    from windows

    inner join satisfaction
        on
            windows.service_unit_code = satisfaction.service_unit_code
            and satisfaction.month_start >= (windows.rollout_month - make_interval(months => windows.window_months))
            and satisfaction.month_start <= (windows.rollout_month + make_interval(months => windows.window_months))

    group by windows.innovation_code, windows.service_unit_code

),

final as (

    select
        windows.innovation_code,
        windows.service_unit_code,
        windows.opd_code,
        windows.innovation_form,
        windows.rollout_date,
        extract(year from windows.rollout_date)::integer as rollout_year,
        windows.window_months,
        coalesce(pooled.respondents_before, 0)::integer as respondents_before,
        {{ skm_ikm('pooled.answer_points_before::numeric / (9 * pooled.respondents_before)') }} as ikm_before,
        coalesce(pooled.respondents_after, 0)::integer as respondents_after,
        {{ skm_ikm('pooled.answer_points_after::numeric / (9 * pooled.respondents_after)') }} as ikm_after,
        {{ skm_ikm('pooled.answer_points_after::numeric / (9 * pooled.respondents_after)') }}
        - {{ skm_ikm('pooled.answer_points_before::numeric / (9 * pooled.respondents_before)') }} as ikm_change

    from windows

    left join pooled
        on
            windows.innovation_code = pooled.innovation_code
            and windows.service_unit_code = pooled.service_unit_code

)

select * from final
