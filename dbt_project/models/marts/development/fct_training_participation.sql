{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='participation_key',
        indexes=[{'columns': ['employee_key']}, {'columns': ['loaded_at']}],
        on_schema_change='fail',
        post_hook="{{ record_watermark() }}",
    )
}}

-- depends_on: {{ ref('stg_siasn__pegawai') }} (read in incremental runs only)
-- depends_on: {{ ref('stg_training__participation') }}

{#- In incremental runs: a staged report (`staged`) of a programme ref_training_program_equivalence makes one
    course with others, whose employee has a report in a load batch not read yet that starts on or before the
    staged report's last day. -#}
{%- set equivalent_report_of_a_new_reports_employee -%}
    (staged.vendor_code, staged.program_identifier, staged.program_type) in (
        select equivalences.vendor_code, equivalences.program_identifier, equivalences.program_type
        from {{ ref('ref_training_program_equivalence') }} as equivalences
    )
    and exists (
        select from {{ ref('stg_training__participation') }} as new_reports
        where
            {{ new_batches('new_reports.batch_id') }}
            and new_reports.employee_nip = staged.employee_nip
            and new_reports.start_date <= coalesce(staged.end_date, staged.start_date)
    )
{%- endset %}

with

participations as (

    {% if is_incremental() -%}
        -- The rows a load batch not read yet (macros/incremental/new_batches.sql) can change: its own (a
        -- re-delivered participation replaces its row, unique_key), and its employees' reports of the
        -- programmes ref_training_program_equivalence makes one course with others, which a new report can
        -- make duplicates (or the other way round) when they share a day with it, or with the earlier version
        -- a re-delivered report replaces (same start date): those ending on or after its start. A report of no
        -- such programme is never a duplicate and has none: a new report leaves it as it is.
        select staged.* from {{ ref('stg_training__participation') }} as staged
        where {{ new_batches('staged.batch_id') }}

        union all

        select staged.* from {{ ref('stg_training__participation') }} as staged
        where
            {{ equivalent_report_of_a_new_reports_employee }}
            and not ({{ new_batches('staged.batch_id') }})

        union all

        -- When a SIASN export arrives, the other rows whose OPD it can change: those dated on or after its
        -- snapshot date, and those without an OPD yet (an employee SIASN did not show before). Without a new
        -- export the first condition stops the scan before it starts.
        select staged.* from {{ ref('stg_training__participation') }} as staged
        where
            exists (
                select from {{ ref('stg_siasn__pegawai') }}
                where {{ new_batches('batch_id') }}
            )
            and (
                coalesce(staged.end_date, staged.start_date) >= (
                    select min(new_exports.snapshot_date)
                    from {{ ref('stg_siasn__pegawai') }} as new_exports
                    where {{ new_batches('new_exports.batch_id') }}
                )
                or {{ employee_key('staged.employee_nip') }} in (
                    select previous_run.employee_key from {{ this }} as previous_run
                    where previous_run.opd_code is null
                )
            )
            and not ({{ new_batches('staged.batch_id') }})
            and not coalesce(({{ equivalent_report_of_a_new_reports_employee }}), false)
    {%- else -%}
        select * from {{ ref('stg_training__participation') }}
    {%- endif %}

),

program_types as (

    select * from {{ ref('ref_training_program_type') }}

),

duplicates as (

    select * from {{ ref('int_training_participation_duplicates') }}

),

history as (

    select * from {{ ref('int_employee_history') }}

),

organizations as (

    select * from {{ ref('ref_opd') }}

),

conversions as (

    select * from {{ ref('ref_jp_conversion') }}

),

typed as (

    select
        participations.*,
        program_types.training_type,
        participations.completion_status = 'passed' as is_completed,
        {{ participation_natural_key('participations') }} as participation_natural_key,
        coalesce(participations.end_date, participations.start_date) as reference_date

    from participations

    left join program_types
        on participations.program_type = program_types.program_type

    -- Keeps this CTE a subquery of its own, so that its natural key is computed once per row: merged into the
    -- query, the join with the duplicates hashed the expression and the final select computed it again (at
    -- 600,000 ASN 4 s of the query's 31).
    offset 0  -- noqa: AM09

),

-- One training counted once: a report another vendor (or the same one) also sent for the same course and
-- days is kept, marked as the duplicate of the report that counts (int_training_participation_duplicates).
deduplicated as (

    select
        typed.*,
        duplicates.equivalence_group,
        duplicates.duplicate_of_natural_key,
        duplicates.duplicate_of_natural_key is null as is_counted

    from typed

    left join duplicates
        on typed.participation_natural_key = duplicates.participation_natural_key

),

-- JP in the unit each vendor declared, converted by the training type's row of ref_jp_conversion. Not
-- rounded (trailing zeros trimmed), so that yearly totals add up exactly; the marts round.
credited as (

    select
        deduplicated.*,
        trim_scale(
            {{ converted_jp('conversions', 'deduplicated.duration_value', 'deduplicated.duration_unit') }}
        ) as jp

    from deduplicated

    left join conversions
        on deduplicated.training_type = conversions.training_type

),

-- The SIASN OPD of each employee and date (macros/history_spans.sql), with the employee's key: keyed once per
-- version here rather than once per participation below (at 600,000 ASN 959,020 keys instead of 7,555,592,
-- each an HMAC-SHA256).
history_spans as (

    select
        spans.*,
        {{ employee_key('spans.employee_nip') }} as employee_key

    from ({{ history_spans('history') }}) as spans

),

-- The OPD at the end date: the one the vendor states (BPSDM writes the OPD name, matched to the name
-- ref_opd gives that code on that date), else the SIASN one.
located as (

    select
        credited.*,
        coalesce(stated_organizations.opd_code, history_spans.opd_code) as opd_code,
        -- a date outside the employee's SIASN history, or an employee SIASN has not shown: keyed here
        coalesce(history_spans.employee_key, {{ employee_key('credited.employee_nip') }}) as employee_key

    from credited

    left join organizations as stated_organizations
        on
            credited.unit_name_reported = stated_organizations.opd_name
            and credited.reference_date >= coalesce(stated_organizations.valid_from, credited.reference_date)
            and credited.reference_date <= coalesce(stated_organizations.valid_to, credited.reference_date)

    left join history_spans
        on
            credited.employee_nip = history_spans.employee_nip
            and credited.reference_date >= history_spans.stands_from
            and credited.reference_date < history_spans.stands_to

),

final as (

    select
        {{ participation_key('employee_key', 'participation_natural_key') }} as participation_key,
        employee_key,
        md5(vendor_code || '|' || program_identifier) as program_key,
        vendor_code,
        program_type,
        training_type,
        start_date,
        end_date,
        date_part('year', reference_date)::integer as training_year,
        completion_status,
        is_completed,
        duration_value,
        duration_unit,
        jp,
        case when is_completed and is_counted then jp else 0 end as jp_credited,
        is_counted,
        case
            -- a report's duplicate is its own employee's (int_training_participation_duplicates)
            when duplicate_of_natural_key is not null
                then {{ participation_key('employee_key', 'duplicate_of_natural_key') }}
        end as duplicate_of_participation_key,
        equivalence_group,
        opd_code,
        loaded_at

    from located

)

select * from final
