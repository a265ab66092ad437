{{
    config(
        unique_key=['decree_number'],
        indexes=[
            {'columns': ['decree_number'], 'unique': true},
            {'columns': ['batch_id']},
        ],
    )
}}

with

source as (

    select * from {{ source('discipline', 'hukuman') }}
    where {{ new_batches('_batch_id') }}

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
ranked as (

    select
        *,
        row_number() over (
            partition by decree_number
            order by loaded_at desc, source_file_id desc, source_row_number desc
        ) as delivery_rank

    from renamed

),

final as (

    select
        decree_number,
        decree_date,
        employee_nip,
        full_name,
        sanction_level,
        sanction_type,
        start_date,
        end_date,
        reason,
        batch_id,
        source_file_id,
        source_row_number,
        loaded_at

    from ranked

    where
        delivery_rank = 1
        and not {{ later_delivery_held('ranked', ['decree_number']) }}

)

select * from final
