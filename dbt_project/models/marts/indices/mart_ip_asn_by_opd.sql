{%- set categories = ['Sangat Tinggi', 'Tinggi', 'Sedang', 'Rendah', 'Sangat Rendah'] -%}

with

indices as (

    select * from {{ ref('mart_ip_asn') }}

),

final as (

    select
        opd_code,
        calendar_year,
        count(*)::integer as employee_count,
        round(avg(ip_asn_index), 2) as average_ip_asn_index,
        round(avg(kualifikasi_score), 2) as average_kualifikasi_score,
        round(avg(kompetensi_score), 2) as average_kompetensi_score,
        round(avg(kinerja_score), 2) as average_kinerja_score,
        round(avg(disiplin_score), 2) as average_disiplin_score,
        {%- for category in categories %}
            count(*) filter (where ip_asn_category = '{{ category }}')::integer
                as {{ category | lower | replace(' ', '_') }}_count,
        {%- endfor %}
        count(*) filter (where missing_inputs is not null)::integer as employees_with_missing_inputs

    from indices

    group by opd_code, calendar_year

)

select * from final
