with

source as (

    {{ new_rows_of(source('siasn', 'pegawai')) }}

),

renamed as (

    select
        -- identifiers
        nip_baru as employee_nip,
        pns_id as siasn_pns_id,
        nip_lama as legacy_nip,

        -- person (personal data: stays in staging)
        nama as full_name,
        gelar_depan as title_prefix,
        gelar_belakang as title_suffix,
        tempat_lahir_nama as birth_place,
        to_date(tanggal_lahir, 'DD-MM-YYYY') as birth_date,
        jenis_kelamin as gender,
        agama_nama as religion,
        jenis_kawin_nama as marital_status,
        nik as national_id_number,
        nomor_hp as phone_number,
        email,
        email_gov as government_email,
        alamat as address,
        npwp_nomor as tax_number,
        bpjs as bpjs_number,

        -- employment status
        jenis_pegawai_nama as employee_type,
        kedudukan_hukum_id as legal_status_code,
        kedudukan_hukum_nama as legal_status_name,
        status_cpns_pns as cpns_pns_status,
        to_date(tmt_cpns, 'DD-MM-YYYY') as tmt_cpns,
        to_date(tmt_pns, 'DD-MM-YYYY') as tmt_pns,

        -- rank
        gol_awal_nama as golongan_initial,
        gol_akhir_nama as golongan_current,
        to_date(tmt_golongan, 'DD-MM-YYYY') as tmt_golongan,
        mk_tahun::integer as service_years,
        mk_bulan::integer as service_months,

        -- position
        jenis_jabatan_nama as position_type,
        jabatan_nama as position_name,
        to_date(tmt_jabatan, 'DD-MM-YYYY') as tmt_position,

        -- education
        tingkat_pendidikan_nama as education_level_raw,
        pendidikan_nama as education_name,
        tahun_lulus::integer as graduation_year,

        -- organisation
        unor_id as opd_code,
        unor_nama as opd_name_reported,
        instansi_induk_nama as parent_agency_name,
        instansi_kerja_nama as employing_agency_name,
        satuan_kerja_kerja_nama as work_unit_name,
        lokasi_kerja_nama as work_location_name,

        -- load metadata
        _snapshot_date as snapshot_date,
        _batch_id as batch_id,
        _file_id as file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- A snapshot date may be delivered more than once (a corrected re-export): per NIP and snapshot date,
-- the row loaded last wins. Row by row, as each export is a whole workforce only downstream
-- (int_employee_history reads every snapshot date).
latest as (

    {{ latest_delivery(
        'renamed', ['employee_nip', 'snapshot_date'], ['loaded_at', 'file_id', 'source_row_number']
    ) }}

)

select * from latest
