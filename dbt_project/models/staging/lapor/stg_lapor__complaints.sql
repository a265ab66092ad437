with

source as (

    {{ new_rows_of(source('lapor', 'pengaduan')) }}

),

renamed as (

    select
        -- complaint (the tracking number lets anyone read a public complaint on the platform: staging only)
        nomor_tiket as tracking_number,
        kode_opd as opd_code,
        kode_unit_layanan as service_unit_code,
        kategori as category,
        status,
        dinilai_pelapor::boolean as reporter_rated,

        -- its steps, local time of the regency (WIT)
        tanggal_diterima::timestamptz at time zone 'Asia/Jayapura' as received_at,
        tanggal_disposisi::timestamptz at time zone 'Asia/Jayapura' as disposed_at,
        tanggal_tindak_lanjut::timestamptz at time zone 'Asia/Jayapura' as answered_at,
        tanggal_selesai::timestamptz at time zone 'Asia/Jayapura' as closed_at,

        -- title and content, personal data masked
        {{ mask_free_text("concat_ws('. ', judul, isi)") }} as complaint_masked,

        -- load metadata
        _format as source_format,
        _batch_id as batch_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- A later pull repeats a complaint with its progress: per tracking number, the row of the file loaded last
-- wins.
latest as (

    {{ latest_delivery('renamed', ['tracking_number']) }}

),

final as (

    select
        {{ keyed_hash('tracking_number') }} as complaint_key,
        tracking_number,
        opd_code,
        service_unit_code,
        category,
        status,
        coalesce(reporter_rated, false) as reporter_rated,
        received_at,
        disposed_at,
        answered_at,
        closed_at,
        received_at::date as received_date,
        disposed_at::date as disposed_date,
        answered_at::date as answered_date,
        closed_at::date as closed_date,
        answered_at::date - received_at::date as days_to_answer,
        complaint_masked,
        {{ service_topic('complaint_masked') }} as complaint_topic,
        source_format,
        batch_id,
        source_file_id,
        source_row_number,
        loaded_at

    from latest

)

select * from final
