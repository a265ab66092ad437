with

source as (

    {{ new_rows_of(source('forum', 'masukan')) }}

),

masked as (

    select
        -- input
        kode_forum as forum_code,
        nomor::integer as input_number,
        kategori as category,
        {{ mask_free_text('uraian') }} as input_text_masked,
        unit_layanan as service_unit_code,

        -- follow-up
        {{ mask_free_text('rencana_tindak_lanjut') }} as follow_up_plan_masked,
        tanggal_target::date as target_date,
        tanggal_tindak_lanjut::date as follow_up_date,
        status,
        status = 'Selesai' as is_followed_up,

        -- load metadata
        _batch_id as batch_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- Per forum and input number, the row of the file loaded last wins.
latest as (

    {{ latest_delivery('masked', ['forum_code', 'input_number']) }}

),

final as (

    select
        forum_code,
        input_number,
        category,
        input_text_masked,
        {{ service_topic('input_text_masked') }} as input_topic,
        service_unit_code,
        follow_up_plan_masked,
        target_date,
        follow_up_date,
        status,
        is_followed_up,
        batch_id,
        source_file_id,
        source_row_number,
        loaded_at

    from latest

)

select * from final
