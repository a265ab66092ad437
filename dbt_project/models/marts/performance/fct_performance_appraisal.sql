{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='appraisal_key',
        indexes=[{'columns': ['employee_key']}, {'columns': ['loaded_at']}],
        on_schema_change='fail',
        post_hook="{{ record_watermark() }}",
    )
}}

with

appraisals as (

    select * from {{ ref('stg_ekinerja__skp') }}

    -- in an incremental run the rows of the load batches not yet read (macros/incremental/new_batches.sql);
    -- a re-delivered key replaces its earlier row
    where {{ new_batches('batch_id') }}

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

rated as (

    select
        appraisals.*,
        {{ skp_predikat('appraisals.work_result_rating', 'appraisals.behaviour_rating') }} as predikat

    from appraisals

),

final as (

    select
        md5(
            {{ employee_key('rated.employee_nip') }}
            || '|' || rated.appraisal_year::text
            || '|' || rated.period_code
        ) as appraisal_key,
        {{ employee_key('rated.employee_nip') }} as employee_key,
        rated.appraisal_year,
        rated.period_code,
        rated.period_code = 'TAHUNAN' as is_annual,
        rated.period_start_date,
        rated.period_end_date,
        coalesce(rated.opd_code, history_at_period_end.opd_code) as opd_code,
        rated.work_result_rating,
        rated.behaviour_rating,
        rated.predikat,
        predikat_matrix.predikat_rank,
        rated.stated_predikat,
        rated.stated_predikat = rated.predikat as is_stated_predikat_consistent,
        predikat_matrix.is_misconduct,
        rated.appraiser_nip is not null as has_appraiser,
        rated.loaded_at

    from rated

    left join predikat_matrix
        on
            rated.work_result_rating = predikat_matrix.hasil_kerja
            and rated.behaviour_rating = predikat_matrix.perilaku_kerja

    left join history_at_period_end
        on
            rated.employee_nip = history_at_period_end.employee_nip
            and rated.appraisal_year = history_at_period_end.appraisal_year
            and rated.period_code = history_at_period_end.period_code

)

select * from final
