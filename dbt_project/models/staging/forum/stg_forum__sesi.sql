with

source as (

    {{ new_rows_of(source('forum', 'sesi')) }}

),

renamed as (

    select
        -- forum
        kode_forum as forum_code,
        opd as opd_code,
        tanggal_forum::date as forum_date,
        distrik,
        {{ mask_free_text('topik') }} as topic_masked,

        -- participants by group
        peserta_masyarakat::integer as participants_public,
        peserta_tokoh::integer as participants_community_leaders,
        peserta_rentan::integer as participants_vulnerable_groups,
        peserta_usaha::integer as participants_business,

        -- facilitating ASN (personal data: stays in staging)
        nip_fasilitator as facilitator_nip,
        nama_fasilitator as facilitator_name,

        -- load metadata
        _batch_id as batch_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- A workbook may be delivered again (corrected): per forum, the row of the file loaded last wins.
latest as (

    {{ latest_delivery('renamed', ['forum_code']) }}

),

final as (

    select
        forum_code,
        opd_code,
        forum_date,
        distrik,
        topic_masked,
        participants_public,
        participants_community_leaders,
        participants_vulnerable_groups,
        participants_business,
        participants_public + participants_community_leaders + participants_vulnerable_groups
        + participants_business as participants_total,
        facilitator_nip,
        facilitator_name,
        batch_id,
        source_file_id,
        source_row_number,
        loaded_at

    from latest

)

select * from final
