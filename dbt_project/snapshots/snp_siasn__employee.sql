{% snapshot snp_siasn__employee %}

-- Only the key and the tracked attributes: no name or birth date in the snapshot.
select
    employee_nip,
    opd_code,
    employee_type,
    status_group,
    legal_status_code,
    is_active_service,
    golongan,
    position_type,
    position_name,
    position_level,
    education_level_raw,
    education_level_code,
    gender,
    is_in_latest_snapshot

from {{ ref('int_employee_latest') }}

{% endsnapshot %}
