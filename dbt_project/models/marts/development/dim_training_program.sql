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

program_types as (

    select * from {{ ref('ref_training_program_type') }}

),

-- A programme is the vendor's code, or its name when the vendor sends no code; its attributes are those of
-- its most recently loaded row (which may be an old one: a batch finished late), its latest version's. In an
-- incremental run the programmes of the new load batches' rows, the keys the pre-hook took
-- (macros/incremental/touched_keys.sql).
programs as (

    select distinct on (vendor_code, program_identifier)
        vendor_code,
        program_identifier,
        program_code,
        program_name,
        program_type

    from {{ ref('int_training_program_versions') }}

    where {{ is_touched(program_key('vendor_code', 'program_identifier')) }}

    order by vendor_code, program_identifier, {{ latest_first() }}

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
