{% snapshot snp_siasn__employee %}

    {{
        config(
            unique_key='employee_nip',
            strategy='check',
            check_cols='all',
        )
    }}

    -- The key and the SIASN attributes whose change makes a version. Values derived from the seeds are
    -- left out, since a seed edit would change them without a new version; so are name and birth date.
    select
        employee_nip,
        opd_code,
        employee_type,
        legal_status_code,
        golongan,
        position_type,
        position_name,
        education_level_raw,
        gender,
        is_in_latest_snapshot

    from {{ ref('int_employee_latest') }}

{% endsnapshot %}
