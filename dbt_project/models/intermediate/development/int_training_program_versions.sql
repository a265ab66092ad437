{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='program_version_key',
        on_schema_change='fail',
        post_hook="{{ record_watermark() }}",
    )
}}

{#- The few dozen programmes' versions stand in for the millions of participation rows wherever a programme's
    attributes are looked up (dim_training_program, participants_of_changed_programmes): at 600,000 ASN the two
    indexes on the staging table that served those lookups cost the full build's critical path about 50 s. -#}

with

-- In an incremental run the rows of the load batches this model has not read (macros/incremental/new_batches.sql).
participations as (

    select * from {{ ref('stg_training__participation') }}
    where {{ new_batches('batch_id') }}

),

-- Grouped by file first: a hash of few groups over millions of rows, where a sort for the latest row of each
-- version would order them all.
latest_row_per_file as (

    select
        vendor_code,
        program_identifier,
        program_code,
        program_name,
        program_type,
        loaded_at,
        source_file_id,
        max(source_row_number) as source_row_number

    from participations

    group by vendor_code, program_identifier, program_code, program_name, program_type, loaded_at, source_file_id

),

keyed as (

    select
        md5(row(vendor_code, program_identifier, program_code, program_name, program_type)::text)
            as program_version_key,
        *

    from latest_row_per_file

),

{% if is_incremental() -%}
    -- A version the table holds keeps its latest row when the new rows of the version are older (a batch that
    -- finished late).
    candidates as (

        select * from keyed

        union all

        select held.*
        from {{ this }} as held
        where held.program_version_key in (select keyed.program_version_key from keyed)

    ),

{% endif -%}

final as (

    select distinct on (program_version_key)
        program_version_key,
        vendor_code,
        program_identifier,
        program_code,
        program_name,
        program_type,
        loaded_at,
        source_file_id,
        source_row_number

    from {{ 'candidates' if is_incremental() else 'keyed' }}

    order by program_version_key, {{ latest_first() }}

)

select * from final
