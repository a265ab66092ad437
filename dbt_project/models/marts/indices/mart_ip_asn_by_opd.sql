{%- set categories = ['Sangat Tinggi', 'Tinggi', 'Sedang', 'Rendah', 'Sangat Rendah'] -%}
{%- set category_cells = [] -%}
{%- for category in categories -%}
    {%- do category_cells.append(category | lower | replace(' ', '_') ~ '_count') -%}
{%- endfor -%}
{%- set averages = ['ip_asn_index', 'kualifikasi_score', 'kompetensi_score', 'kinerja_score', 'disiplin_score'] -%}

with

indices as (

    select * from {{ ref('mart_ip_asn') }}

),

opd_years as (

    select
        opd_code,
        calendar_year,
        count(*)::integer as employee_count,
        count(ip_asn_index)::integer as indexed_employee_count,
        {%- for average in averages %}
            round(avg({{ average }}), 2) as average_{{ average }},
        {%- endfor %}
        {%- for category in categories %}
            count(*) filter (where ip_asn_category = '{{ category }}')::integer as {{ category_cells[loop.index0] }},
        {%- endfor %}
        count(*) filter (where missing_inputs is not null)::integer as employees_with_missing_inputs

    from indices

    group by opd_code, calendar_year

),

-- A category count of 1 to k-1 would tell a colleague's category, an average of fewer than k employees
-- their index: small cells are suppressed.
suppressed as (

    select
        opd_code,
        calendar_year,
        {{ suppressed_cells(category_cells) }},
        indexed_employee_count >= {{ pembina_setting('k_anonymity_k', 'integer') }} as is_large_enough

    from opd_years

),

final as (

    select
        opd_years.opd_code,
        opd_years.calendar_year,
        opd_years.employee_count,
        opd_years.indexed_employee_count,
        {%- for average in averages %}
            case when suppressed.is_large_enough then opd_years.average_{{ average }} end as average_{{ average }},
        {%- endfor %}
        {%- for cell in category_cells %}
            suppressed.{{ cell }},
        {%- endfor %}
        opd_years.employees_with_missing_inputs

    from opd_years

    inner join suppressed
        on
            opd_years.opd_code = suppressed.opd_code
            and opd_years.calendar_year = suppressed.calendar_year

)

select * from final
