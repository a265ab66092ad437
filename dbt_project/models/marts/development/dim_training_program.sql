with

participations as (

    select * from {{ ref('stg_training__participation') }}

),

program_types as (

    select * from {{ ref('ref_training_program_type') }}

),

-- A programme is the vendor's code, or its name when the vendor sends no code; its attributes are those
-- of the most recently loaded row.
programs as (

    select distinct on (vendor_code, program_identifier)
        vendor_code,
        program_identifier,
        program_code,
        program_name,
        program_type

    from participations

    order by vendor_code asc, program_identifier asc, loaded_at desc, source_file_id desc, source_row_number desc

),

final as (

    select
        md5(programs.vendor_code || '|' || programs.program_identifier) as program_key,
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
