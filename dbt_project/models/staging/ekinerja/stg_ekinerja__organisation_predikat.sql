with

source as (

    {{ new_rows_of(source('ekinerja', 'organisation_predikat')) }}

),

renamed as (

    select
        unor_id as opd_code,
        unor_nama as opd_name_reported,
        tahun::integer as appraisal_year,
        predikat as organisation_predikat,

        -- load metadata
        _batch_id as batch_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- A year may be delivered more than once (a corrected re-export): per OPD and year, the row of the file
-- loaded last wins.
latest as (

    {{ latest_delivery('renamed', ['opd_code', 'appraisal_year']) }}

)

select * from latest
