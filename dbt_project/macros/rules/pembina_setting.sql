{#- A data-steward setting of ref_pembina_settings as a typed scalar subquery, e.g.
    pembina_setting('jp_yearly_minimum', 'numeric'). -#}
{% macro pembina_setting(setting_name, data_type='text') -%}
    (
        select settings.setting_value::{{ data_type }}
        from {{ ref('ref_pembina_settings') }} as settings
        where settings.setting_name = '{{ setting_name }}'
    )
{%- endmacro %}
