{{
    config(
        unique_key=['opd_code', 'appraisal_year'],
        indexes=[
            {'columns': ['opd_code', 'appraisal_year'], 'unique': true},
            {'columns': ['batch_id']},
        ],
    )
}}

with

source as (

    select * from {{ source('ekinerja', 'organisation_predikat') }}
    where {{ new_batches('_batch_id') }}

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
ranked as (

    select
        *,
        row_number() over (
            partition by opd_code, appraisal_year
            order by loaded_at desc, source_file_id desc, source_row_number desc
        ) as delivery_rank

    from renamed

),

final as (

    select
        opd_code,
        opd_name_reported,
        appraisal_year,
        organisation_predikat,
        batch_id,
        source_file_id,
        source_row_number,
        loaded_at

    from ranked

    where
        delivery_rank = 1
        and not {{ later_delivery_held('ranked', ['opd_code', 'appraisal_year']) }}

)

select * from final
