{#- Local suppression to k (k-anonymity), as CTEs ending in `shown`: each row of `source_cte` is shown at the
    most detailed level at which at least k of the rows not shown at a more detailed level share its
    `group_column` and that level's attributes. `levels` lists, most detailed first, the attributes each
    level shows; the first level lists them all and the others are emptied. Rows left at the last level are
    shown there whatever their number. `shown` has key_column, group_column, the attributes and
    disclosure_level (1 = the first level). k is the setting k_anonymity_k of ref_pembina_settings. -#}
{% macro local_suppression(source_cte, key_column, group_column, levels) -%}
    {%- set attributes = levels[0] -%}
    {%- set k = pembina_setting('k_anonymity_k', 'integer') -%}
    {%- for attributes_shown in levels %}
        {%- set level = loop.index %}
    level_{{ level }}_candidates as (
        select
            {{ key_column }},
            {{ group_column }},
            {{ attributes | join(', ') }},
            count(*) over (partition by {{ ([group_column] + attributes_shown) | join(', ') }}) as class_size
        from {{ source_cte if level == 1 else 'level_' ~ (level - 1) ~ '_candidates' }}
        {%- if level > 1 %}
        where class_size < {{ k }}
        {%- endif %}
    ),

    level_{{ level }}_shown as (
        select
            {{ key_column }},
            {{ group_column }},
            {%- for attribute in attributes %}
            {{ attribute if attribute in attributes_shown else 'null::text as ' ~ attribute }},
            {%- endfor %}
            {{ level }} as disclosure_level
        from level_{{ level }}_candidates
        {%- if not loop.last %}
        where class_size >= {{ k }}
        {%- endif %}
    ),
    {%- endfor %}

    shown as (
        {%- for attributes_shown in levels %}
        select * from level_{{ loop.index }}_shown
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    )
{%- endmacro %}
