with

source as (

    {{ new_rows_of(source('skm', 'responden')) }}

),

renamed as (

    select
        -- response (the phone number and e-mail of the form stay in raw)
        unit_layanan as service_unit_code,
        to_timestamp(waktu_isi, 'DD/MM/YYYY HH24:MI:SS')::timestamp as submitted_at,
        jenis_layanan as service_type,

        -- respondent
        usia as age_band,
        jenis_kelamin as gender,
        pendidikan as education,
        pekerjaan as occupation,

        -- answers to the nine elements (PermenPAN-RB 14/2017), 1-4
        u1::smallint as answer_u1,
        u2::smallint as answer_u2,
        u3::smallint as answer_u3,
        u4::smallint as answer_u4,
        u5::smallint as answer_u5,
        u6::smallint as answer_u6,
        u7::smallint as answer_u7,
        u8::smallint as answer_u8,
        u9::smallint as answer_u9,

        -- suggestion, personal data masked, and its topic
        {{ mask_free_text('saran') }} as suggestion_masked,

        -- load metadata
        _batch_id as batch_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- A form's export repeats the responses of its earlier exports: per unit and submission time, the row of
-- the file loaded last wins.
latest as (

    {{ latest_delivery('renamed', ['service_unit_code', 'submitted_at']) }}

),

final as (

    select
        md5(service_unit_code || '|' || submitted_at::text) as response_id,
        service_unit_code,
        submitted_at,
        submitted_at::date as submitted_date,
        service_type,
        age_band,
        gender,
        education,
        occupation,
        answer_u1,
        answer_u2,
        answer_u3,
        answer_u4,
        answer_u5,
        answer_u6,
        answer_u7,
        answer_u8,
        answer_u9,
        suggestion_masked,
        {{ service_topic('suggestion_masked') }} as suggestion_topic,
        batch_id,
        source_file_id,
        source_row_number,
        loaded_at

    from latest

)

select * from final
