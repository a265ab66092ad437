{{
    config(
        unique_key=['forum_code', 'input_number'],
        indexes=[
            {'columns': ['forum_code', 'input_number'], 'unique': true},
            {'columns': ['batch_id']},
        ],
    )
}}

with

source as (

    select * from {{ source('forum', 'masukan') }}
    where {{ new_batches('_batch_id') }}

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
ranked as (

    select
        *,
        row_number() over (
            partition by forum_code, input_number
            order by loaded_at desc, source_file_id desc, source_row_number desc
        ) as delivery_rank

    from masked

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

    from ranked

    where
        delivery_rank = 1
        and not {{ later_delivery_held('ranked', ['forum_code', 'input_number']) }}

)

select * from final
