with

source as (

    {{ new_rows_of(source('assessment', 'kompetensi')) }}

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
latest as (

    {{ latest_delivery('renamed', ['assessment_id', 'competency_name']) }}

)

select * from latest
