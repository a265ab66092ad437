{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ replace_touched('program_key', touched_keys({
            'stg_training__participation': program_key('new_rows.vendor_code', 'new_rows.program_identifier'),
        })) }}",
        post_hook="{{ record_watermark() }}",
    )
}}

with

-- In an incremental run the programmes of the new load batches' rows, the keys the pre-hook took
-- (macros/incremental/touched_keys.sql), found through the staging table's index on the batch rather than by
-- keying every row.
touched_programs as (

    select distinct
        vendor_code,
        program_identifier

    from {{ ref('stg_training__participation') }}
    where {{ new_batches('batch_id') }}

),

program_types as (

    select * from {{ ref('ref_training_program_type') }}

),

-- A programme is the vendor's code, or its name when the vendor sends no code; its attributes are those of
-- its most recently loaded row (which may be an old one: a batch finished late), found by the staging table's
-- index on the programme and load order, not by sorting every participation.
programs as (

    select
        touched_programs.vendor_code,
        touched_programs.program_identifier,
        latest_row.program_code,
        latest_row.program_name,
        latest_row.program_type

    from touched_programs

    cross join lateral (
        select
            participations.program_code,
            participations.program_name,
            participations.program_type
        from {{ ref('stg_training__participation') }} as participations
        where
            {{ program_hash('participations.vendor_code', 'participations.program_identifier') }}
            = {{ program_hash('touched_programs.vendor_code', 'touched_programs.program_identifier') }}
            and participations.vendor_code = touched_programs.vendor_code
            and participations.program_identifier = touched_programs.program_identifier
        order by
            participations.loaded_at desc,
            participations.source_file_id desc,
            participations.source_row_number desc
        limit 1
    ) as latest_row

),

final as (

    select
        {{ program_key('programs.vendor_code', 'programs.program_identifier') }} as program_key,
        programs.vendor_code,
        programs.program_code,
        programs.program_name,
        programs.program_type,
        program_types.program_type_name,
        program_types.training_type,
        program_types.ip_asn_training_item

    from programs

    left join program_types
        on programs.program_type = program_types.program_type

)

select * from final
