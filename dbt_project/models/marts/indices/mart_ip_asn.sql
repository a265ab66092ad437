{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ replace_touched('employee_key', touched_employees(held_where_by_model={
            'stg_discipline__hukuman': 'heaviest_sanction_level is not null',
        }, by_year=true), year_column='calendar_year') }}",
        post_hook="{{ record_watermark() }}",
    )
}}

with

-- In an incremental run the years of the employees the new load batches touch that they can change, and every
-- year of those with a sanction on record when new decrees arrive (macros/incremental/touched_keys.sql).
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

points as (

    select * from {{ ref('ref_ip_asn_points') }}

),

weights as (

    select
        max(weight) filter (where dimension = 'kualifikasi') as kualifikasi_weight,
        max(weight) filter (where dimension = 'kompetensi') as kompetensi_weight,
        max(weight) filter (where dimension = 'kinerja') as kinerja_weight,
        max(weight) filter (where dimension = 'disiplin') as disiplin_weight

    from {{ ref('ref_ip_asn_weight') }}

),

competency_points as (

    select
        coalesce(max(points) filter (where item_code = 'leadership'), 0) as leadership_points,
        coalesce(max(points) filter (where item_code = 'functional'), 0) as functional_points,
        coalesce(max(points) filter (where item_code = 'technical'), 0) as technical_points,
        coalesce(max(points) filter (where item_code = 'seminar'), 0) as seminar_points

    from points

    where dimension = 'kompetensi'

),

-- Employees of the status groups of the setting ip_asn_status_groups with time in service in a complete
-- calendar year (int_employee_years) and, by the setting ip_asn_requires_service_at_year_end, still in
-- service on its 31 December: nobody who left is scored for the year.
measured_years as (

    select employee_years.*

    from employee_years

    where
        employee_years.is_complete_year
        and (
            employee_years.is_in_service_at_year_end
            or not {{ pembina_setting('ip_asn_requires_service_at_year_end', 'boolean') }}
        )
        and employee_years.status_group = any(
            string_to_array({{ pembina_setting('ip_asn_status_groups') }}, ',')
        )

),

annual_appraisals as (

    select
        employee_key,
        appraisal_year,
        predikat

    from appraisals

    where is_annual

),

inputs as (

    select
        measured_years.employee_key,
        measured_years.calendar_year,
        measured_years.opd_code,
        measured_years.status_group,
        measured_years.position_type,
        measured_years.position_level,
        measured_years.education_level_code,
        measured_years.service_share,
        measured_years.is_full_year,
        annual_appraisals.predikat as annual_predikat,
        coalesce(trainings.has_leadership_training_at_level, false) as has_leadership_training_at_level,
        coalesce(trainings.has_functional_training, false) as has_functional_training,
        coalesce(trainings.has_technical_training_minimum_jp, false) as has_technical_training_minimum_jp,
        coalesce(trainings.has_seminar, false) as has_seminar,
        sanctions.ip_asn_sanction_level as heaviest_sanction_level,
        kualifikasi_points.points as kualifikasi_points,
        kinerja_points.points as kinerja_points,
        disiplin_points.points as disiplin_points

    from measured_years

    left join trainings
        on
            measured_years.employee_key = trainings.employee_key
            and measured_years.calendar_year = trainings.calendar_year

    left join sanctions
        on
            measured_years.employee_key = sanctions.employee_key
            and measured_years.calendar_year = sanctions.calendar_year

    left join annual_appraisals
        on
            measured_years.employee_key = annual_appraisals.employee_key
            and measured_years.calendar_year = annual_appraisals.appraisal_year

    left join points as kualifikasi_points
        on
            kualifikasi_points.dimension = 'kualifikasi'
            and measured_years.education_level_code = kualifikasi_points.item_code

    left join points as kinerja_points
        on
            kinerja_points.dimension = 'kinerja'
            and annual_appraisals.predikat = kinerja_points.item_code

    left join points as disiplin_points
        on
            disiplin_points.dimension = 'disiplin'
            and coalesce(sanctions.ip_asn_sanction_level, 'none') = disiplin_points.item_code

),

scored as (

    select
        inputs.*,
        -- A missing input leaves its dimension empty (least() would skip a NULL), and so the index.
        case
            when inputs.kualifikasi_points is not null then least(inputs.kualifikasi_points, weights.kualifikasi_weight)
        end as kualifikasi_score,
        least(
            case when inputs.has_leadership_training_at_level then competency_points.leadership_points else 0 end
            + case when inputs.has_functional_training then competency_points.functional_points else 0 end
            + case when inputs.has_technical_training_minimum_jp then competency_points.technical_points else 0 end
            + case when inputs.has_seminar then competency_points.seminar_points else 0 end,
            weights.kompetensi_weight
        ) as kompetensi_score,
        case
            when inputs.kinerja_points is not null then least(inputs.kinerja_points, weights.kinerja_weight)
        end as kinerja_score,
        least(coalesce(inputs.disiplin_points, 0), weights.disiplin_weight) as disiplin_score,
        inputs.kualifikasi_points is null as is_education_level_missing,
        inputs.kinerja_points is null as is_annual_appraisal_missing

    from inputs

    cross join weights

    cross join competency_points

),

indexed as (

    select
        *,
        kualifikasi_score + kompetensi_score + kinerja_score + disiplin_score as ip_asn_index

    from scored

),

final as (

    select
        employee_key,
        calendar_year,
        opd_code,
        status_group,
        position_type,
        position_level,
        education_level_code,
        service_share,
        is_full_year,
        annual_predikat,
        has_leadership_training_at_level,
        has_functional_training,
        has_technical_training_minimum_jp,
        has_seminar,
        heaviest_sanction_level,
        kualifikasi_score,
        kompetensi_score,
        kinerja_score,
        disiplin_score,
        ip_asn_index,
        {{ ip_asn_category('indexed.ip_asn_index') }} as ip_asn_category,
        ip_asn_index is not null as is_index_computed,
        is_education_level_missing,
        is_annual_appraisal_missing,
        nullif(
            concat_ws(
                ', ',
                case when is_education_level_missing then 'education_level' end,
                case when is_annual_appraisal_missing then 'annual_appraisal' end
            ),
            ''
        ) as missing_inputs

    from indexed

)

select * from final
