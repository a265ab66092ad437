{{
    config(
        unique_key=['innovation_code'],
        indexes=[
            {'columns': ['innovation_code'], 'unique': true},
            {'columns': ['batch_id']},
        ],
    )
}}

with

source as (

    select * from {{ source('inovasi', 'register') }}
    where {{ new_batches('_batch_id') }}

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
ranked as (

    select
        *,
        row_number() over (
            partition by innovation_code
            order by register_date desc, loaded_at desc, source_file_id desc, source_row_number desc
        ) as delivery_rank

    from renamed

),

final as (

    select
        innovation_code,
        innovation_name,
        opd_code,
        innovation_form,
        initiator,
        stage,
        stage_rank,
        initiative_date,
        trial_date,
        rollout_date,
        team_list,
        forum_list,
        service_unit_list,
        register_date,
        batch_id,
        source_file_id,
        source_row_number,
        loaded_at

    from ranked

    where
        delivery_rank = 1
        and not {{ later_delivery_held(
            'ranked', ['innovation_code'], ('register_date', 'loaded_at', 'source_file_id', 'source_row_number')
        ) }}

)

select * from final
