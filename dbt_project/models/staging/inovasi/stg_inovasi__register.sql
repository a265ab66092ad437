with

source as (

    {{ new_rows_of(source('inovasi', 'register')) }}

),

renamed as (

    select
        -- innovation
        kode_inovasi as innovation_code,
        nama_inovasi as innovation_name,
        opd as opd_code,
        bentuk as innovation_form,
        inisiator as initiator,
        tahapan as stage,  -- noqa: RF04
        case tahapan when 'Inisiatif' then 1 when 'Uji Coba' then 2 when 'Penerapan' then 3 end as stage_rank,
        tanggal_inisiatif::date as initiative_date,
        tanggal_uji_coba::date as trial_date,
        tanggal_penerapan::date as rollout_date,

        -- lists (the team's NIPs are personal data: stay in staging and intermediate)
        tim as team_list,
        forum_konsultasi as forum_list,
        unit_layanan as service_unit_list,

        -- load metadata
        _register_date as register_date,
        _batch_id as batch_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- The register is delivered once a year as it stands on 31 December: per innovation, the row of the
-- latest register wins whatever order the files were loaded in (then the file loaded last).
latest as (

    {{ latest_delivery(
        'renamed', ['innovation_code'], ['register_date', 'loaded_at', 'source_file_id', 'source_row_number']
    ) }}

)

select * from latest
