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

-- In an incremental run every row of the programmes the new load batches touch (macros/incremental/touched_keys.sql):
-- a programme's attributes are those of its latest row, which may be an old one (a batch finished late).
participations as (

    select * from {{ ref('stg_training__participation') }}
    where {{ is_touched(program_key('vendor_code', 'program_identifier')) }}

),

program_types as (

    select * from {{ ref('ref_training_program_type') }}

),

-- A programme is the vendor's code, or its name when the vendor sends no code; its attributes are those
-- of the most recently loaded row. Its latest load time first (a hash aggregate), then the rows loaded then:
-- sorting every row of every programme to take the first was most of this model's time.
latest_loads as (

    select
        vendor_code,
        program_identifier,
        max(loaded_at) as loaded_at

    from participations

    group by vendor_code, program_identifier

),

programs as (

    select distinct on (participations.vendor_code, participations.program_identifier)
        participations.vendor_code,
        participations.program_identifier,
        participations.program_code,
        participations.program_name,
        participations.program_type

    from participations

    inner join latest_loads
        on
            participations.vendor_code = latest_loads.vendor_code
            and participations.program_identifier = latest_loads.program_identifier
            and participations.loaded_at = latest_loads.loaded_at

    order by
        participations.vendor_code asc,
        participations.program_identifier asc,
        participations.source_file_id desc,
        participations.source_row_number desc

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
