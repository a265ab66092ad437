with

source as (

    {{ new_rows_of(source('ekinerja', 'skp')) }}

),

renamed as (

    select
        -- identifiers (personal data: stays in staging)
        nip as employee_nip,
        nama as full_name,

        -- appraised period
        tahun::integer as appraisal_year,
        periode as period_code,
        to_date(tanggal_mulai, 'YYYY-MM-DD') as period_start_date,
        to_date(tanggal_selesai, 'YYYY-MM-DD') as period_end_date,

        -- ratings and the predikat as stated by the source
        hasil_kerja as work_result_rating,
        perilaku_kerja as behaviour_rating,
        predikat as stated_predikat,

        -- appraiser and organisation
        nip_penilai as appraiser_nip,
        unor_id as opd_code,

        -- load metadata
        _batch_id as batch_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- A year may be delivered more than once (a corrected re-export): per NIP, year and period, the row of
-- the file loaded last wins.
latest as (

    {{ latest_delivery('renamed', ['employee_nip', 'appraisal_year', 'period_code']) }}

)

select * from latest
