with

source as (

    {{ new_rows_of(source('discipline', 'hukuman')) }}

),

renamed as (

    select
        -- decree (the decree number is personal data: stays in staging)
        nomor_sk as decree_number,
        to_date(tanggal_sk, 'DD/MM/YYYY') as decree_date,

        -- sanctioned employee (personal data: stays in staging)
        nip as employee_nip,
        nama as full_name,

        -- sanction (PP 94/2021 art. 8)
        tingkat as sanction_level,
        jenis as sanction_type,
        to_date(tmt_mulai, 'DD/MM/YYYY') as start_date,
        to_date(tmt_selesai, 'DD/MM/YYYY') as end_date,
        alasan as reason,

        -- load metadata
        _batch_id as batch_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- A register may be delivered more than once (a corrected re-export): per decree number, the row of the
-- file loaded last wins.
latest as (

    {{ latest_delivery('renamed', ['decree_number']) }}

)

select * from latest
