{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ replace_touched('employee_key', touched_employees(held_where_by_model={
            'stg_discipline__hukuman': 'sanction_level is not null',
            'stg_inovasi__register': 'innovations_rolled_out > 0',
        }, by_year=true), year_column='calendar_year') }}",
        post_hook="{{ record_watermark() }}",
    )
}}

with

-- In an incremental run the years of the employees the new load batches touch that they can change, and every
-- year of those with a sanction or an innovation on record when new decrees or innovations arrive
-- (macros/incremental/touched_keys.sql).
employee_years as (

    select * from {{ ref('int_employee_years') }}
    where {{ is_touched('employee_key', 'calendar_year') }}

),

trainings as (

    select * from {{ ref('int_employee_year_training') }}
    where {{ is_touched('employee_key', 'calendar_year') }}

),

sanctions as (

    select * from {{ ref('int_employee_year_sanctions') }}
    where {{ is_touched('employee_key', 'calendar_year') }}

),

appraisals as (

    select * from {{ ref('fct_performance_appraisal') }}
    where {{ is_touched('employee_key') }}

),

jp_compliance as (

    select * from {{ ref('mart_jp_compliance') }}
    where {{ is_touched('employee_key', 'calendar_year') }}

),

rules as (

    select * from {{ ref('ref_development_rule') }}

),

-- Innovations that reached penerapan, per team member (Ketua or Anggota) and year.
innovations as (

    select
        employee_key,
        rollout_year,
        count(distinct innovation_code)::integer as innovations_rolled_out

    from {{ ref('fct_innovation_participation') }}

    where team_role in ('Ketua', 'Anggota') and rollout_year is not null

    group by employee_key, rollout_year

),

predikat_ranks as (

    select
        min(predikat_rank) filter (where predikat = 'Sangat Baik') as sangat_baik_rank,
        min(predikat_rank) filter (where predikat = 'Butuh Perbaikan') as butuh_perbaikan_rank

    from {{ ref('ref_skp_predikat_matrix') }}

),

annual_appraisals as (

    select
        employee_key,
        appraisal_year,
        predikat,
        predikat_rank

    from appraisals

    where is_annual

),

-- Every ASN with time in service in a complete calendar year (int_employee_years) and, by the setting
-- development_plan_requires_service_at_year_end, still in service on its 31 December: nobody gets a plan or
-- a reward for a year they left. The JP minimum is the employee's own (mart_jp_compliance: pro-rated for a
-- part year, none for PPPK, so a PPPK has no JP shortfall and the reward's JP condition does not bind them).
evaluated as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        employee_years.opd_code,
        employee_years.is_full_year,
        current_appraisal.predikat,
        current_appraisal.predikat_rank,
        previous_appraisal.predikat as previous_year_predikat,
        previous_appraisal.predikat_rank as previous_year_predikat_rank,
        coalesce(trainings.jp_total, 0) as jp_total,
        jp_compliance.meets_jp_minimum as meets_jp_yearly_minimum,
        sanctions.heaviest_sanction_level as sanction_level,
        coalesce(innovations.innovations_rolled_out, 0) as innovations_rolled_out

    from employee_years

    left join trainings
        on
            employee_years.employee_key = trainings.employee_key
            and employee_years.calendar_year = trainings.calendar_year

    left join sanctions
        on
            employee_years.employee_key = sanctions.employee_key
            and employee_years.calendar_year = sanctions.calendar_year

    left join jp_compliance
        on
            employee_years.employee_key = jp_compliance.employee_key
            and employee_years.calendar_year = jp_compliance.calendar_year

    left join innovations
        on
            employee_years.employee_key = innovations.employee_key
            and employee_years.calendar_year = innovations.rollout_year

    left join annual_appraisals as current_appraisal
        on
            employee_years.employee_key = current_appraisal.employee_key
            and employee_years.calendar_year = current_appraisal.appraisal_year

    left join annual_appraisals as previous_appraisal
        on
            employee_years.employee_key = previous_appraisal.employee_key
            and employee_years.calendar_year - 1 = previous_appraisal.appraisal_year

    where
        employee_years.is_complete_year
        and (
            employee_years.is_in_service_at_year_end
            or not {{ pembina_setting('development_plan_requires_service_at_year_end', 'boolean') }}
        )

),

fired as (

    select
        evaluated.*,
        'reward_sangat_baik_two_years_jp_met' as rule_id

    from evaluated

    cross join predikat_ranks

    where
        evaluated.predikat_rank = predikat_ranks.sangat_baik_rank
        and evaluated.previous_year_predikat_rank = predikat_ranks.sangat_baik_rank
        and coalesce(evaluated.meets_jp_yearly_minimum, true)

    union all

    select
        evaluated.*,
        'plan_predikat_below_baik' as rule_id

    from evaluated

    cross join predikat_ranks

    where evaluated.predikat_rank >= predikat_ranks.butuh_perbaikan_rank

    union all

    select
        evaluated.*,
        'plan_active_sanction' as rule_id

    from evaluated

    where evaluated.sanction_level is not null

    union all

    select
        evaluated.*,
        'plan_jp_shortfall' as rule_id

    from evaluated

    where not evaluated.meets_jp_yearly_minimum

    union all

    select
        evaluated.*,
        'reward_innovator_penerapan' as rule_id

    from evaluated

    where evaluated.innovations_rolled_out > 0

),

final as (

    select
        fired.employee_key,
        fired.calendar_year,
        fired.opd_code,
        rules.priority,
        fired.rule_id,
        rules.rule_description,
        fired.predikat,
        fired.previous_year_predikat,
        fired.jp_total,
        fired.sanction_level,
        fired.is_full_year,
        fired.innovations_rolled_out

    from fired

    inner join rules
        on fired.rule_id = rules.rule_id

)

select * from final
