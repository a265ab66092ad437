{#- dbt-postgres's index of a model's `indexes` config, but a unique index treats empty (null) values as equal
    (PostgreSQL 15+): two rows whose key differs only by a missing cohort are the same key, as a composite-key
    test's `group by` counts them, so the index enforces what such a test would check. -#}
{% macro postgres__get_create_index_sql(relation, index_dict) -%}
    {%- set index_config = adapter.parse_index(index_dict) -%}
    create {% if index_config.unique %}unique {% endif %}index if not exists
    "{{ index_config.render(relation) }}"
    on {{ relation }} {% if index_config.type %}using {{ index_config.type }}{% endif %}
    ({{ index_config.columns | join(', ') }}){% if index_config.unique %} nulls not distinct{% endif %}
{%- endmacro %}
