{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='appraisal_key',
        indexes=[{'columns': ['employee_key']}, {'columns': ['loaded_at']}],
        on_schema_change='fail',
        pre_hook="set local enable_mergejoin = off",
        post_hook="{{ record_watermark() }}",
    )
}}

{#- Hash joins only: the planner expects a few thousand appraisals without an OPD and would sort every appraisal
    for a merge join with them (at 600,000 ASN none lacks one, and the query took 14.6 s instead of 12.0 s,
    `benchmarks/explain.py fct_performance_appraisal`). -#}

with

-- In an incremental run the rows of the load batches not yet read (macros/incremental/new_batches.sql); a
-- re-delivered key replaces its earlier row. Keyed and rated here, once per row: the final select names the key
-- and the predikat twice each, and would compute them twice (at 600,000 ASN 2.9 million HMACs and matrix lookups
-- more).
appraisals as materialized (

    select
        skp.*,
        {{ employee_key('skp.employee_nip') }} as employee_key,
        {{ skp_predikat('skp.work_result_rating', 'skp.behaviour_rating') }} as predikat

    from {{ ref('stg_ekinerja__skp') }} as skp

    where {{ new_batches('skp.batch_id') }}

),

history as (

    select * from {{ ref('int_employee_history') }}

),

predikat_matrix as (

    select * from {{ ref('ref_skp_predikat_matrix') }}

),

-- The OPD e-Kinerja states wins; without one, the employee's OPD in SIASN on the last day of the period.
history_at_period_end as (

    select
        appraisals.employee_nip,
        appraisals.appraisal_year,
        appraisals.period_code,
        history.opd_code

    from appraisals

    inner join history
        on
            appraisals.employee_nip = history.employee_nip
            and appraisals.period_end_date >= history.valid_from
            and (history.valid_to is null or appraisals.period_end_date < history.valid_to)

    where appraisals.opd_code is null

),

final as (

    select
        md5(
            appraisals.employee_key || '|' || appraisals.appraisal_year::text || '|' || appraisals.period_code
        ) as appraisal_key,
        appraisals.employee_key,
        appraisals.appraisal_year,
        appraisals.period_code,
        appraisals.period_code = 'TAHUNAN' as is_annual,
        appraisals.period_start_date,
        appraisals.period_end_date,
        coalesce(appraisals.opd_code, history_at_period_end.opd_code) as opd_code,
        appraisals.work_result_rating,
        appraisals.behaviour_rating,
        appraisals.predikat,
        predikat_matrix.predikat_rank,
        appraisals.stated_predikat,
        appraisals.stated_predikat = appraisals.predikat as is_stated_predikat_consistent,
        predikat_matrix.is_misconduct,
        appraisals.appraiser_nip is not null as has_appraiser,
        appraisals.loaded_at

    from appraisals

    left join predikat_matrix
        on
            appraisals.work_result_rating = predikat_matrix.hasil_kerja
            and appraisals.behaviour_rating = predikat_matrix.perilaku_kerja

    left join history_at_period_end
        on
            appraisals.employee_nip = history_at_period_end.employee_nip
            and appraisals.appraisal_year = history_at_period_end.appraisal_year
            and appraisals.period_code = history_at_period_end.period_code

)

select * from final
