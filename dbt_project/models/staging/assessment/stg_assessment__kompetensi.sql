{{
    config(
        unique_key=['assessment_id', 'competency_name'],
        indexes=[
            {'columns': ['assessment_id', 'competency_name'], 'unique': true},
            {'columns': ['batch_id']},
        ],
    )
}}

with

source as (

    select * from {{ source('assessment', 'kompetensi') }}
    where {{ new_batches('_batch_id') }}

),

renamed as (

    select
        -- identifiers (personal data: stays in staging)
        id_asesmen as assessment_id,
        nip as employee_nip,

        -- assessment event
        to_date(tanggal_asesmen, 'YYYY-MM-DD') as assessment_date,
        -- `method` is the agreed column name of the marts, although a keyword
        metode as method,  -- noqa: RF04
        asesor as assessor,

        -- competency and levels
        kelompok as competency_group,
        kompetensi as competency_name,
        level_standar::integer as standard_level,
        level_hasil::integer as assessed_level,

        -- load metadata
        _batch_id as batch_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- A year may be delivered more than once (a corrected re-export): per assessment event and competency,
-- the row of the file loaded last wins.
ranked as (

    select
        *,
        row_number() over (
            partition by assessment_id, competency_name
            order by loaded_at desc, source_file_id desc, source_row_number desc
        ) as delivery_rank

    from renamed

),

final as (

    select
        assessment_id,
        employee_nip,
        assessment_date,
        method,
        assessor,
        competency_group,
        competency_name,
        standard_level,
        assessed_level,
        batch_id,
        source_file_id,
        source_row_number,
        loaded_at

    from ranked

    where
        delivery_rank = 1
        and not {{ later_delivery_held('ranked', ['assessment_id', 'competency_name']) }}

)

select * from final
