{#- Small-cell suppression of counts that split one total in a row (an OPD's staff by predikat, say): a count
    of 1 to k-1 would tell who is in the cell, so it is left empty (primary suppression). When only one
    count of the row is empty, the total less the others would give it back, so the smallest other count
    is emptied too (complementary suppression; the first of equal ones). Zeros are shown. k is the setting
    k_anonymity_k of ref_pembina_settings. Emits `<cell> as <cell>` for each cell, comma-separated. -#}
{% macro suppressed_cells(cells) -%}
    {%- set k = pembina_setting('k_anonymity_k', 'integer') -%}
    {%- set primary = {} -%}
    {%- for cell in cells -%}
        {%- do primary.update({cell: '(' ~ cell ~ ' between 1 and ' ~ k ~ ' - 1)'}) -%}
    {%- endfor -%}
    {%- set primary_count -%}
        ({% for cell in cells %}{{ primary[cell] }}::integer{% if not loop.last %} + {% endif %}{% endfor %})
    {%- endset -%}
    {%- for cell in cells %}
        case
            when {{ primary[cell] }} then null
            {%- if cells | length > 1 %}
            when
                {{ primary_count }} = 1
                {%- for other in cells if other != cell %}
                and ({{ primary[other] }} or {{ other }} {{ '>' if cells.index(other) < cells.index(cell) else '>=' }} {{ cell }})
                {%- endfor %}
                then null
            {%- endif %}
            else {{ cell }}
        end as {{ cell }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
