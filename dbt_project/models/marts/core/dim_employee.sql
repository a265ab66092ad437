{#- Quasi-identifiers, from the most detailed disclosure level to the coarsest: level n shows the OPD and the
    attributes of levels[n - 1]; attributes left out of a level are empty. -#}
{%- set levels = [
    ['gender', 'age_band', 'golongan_group', 'position_type', 'position_level'],
    ['gender', 'age_band', 'golongan_group', 'position_type'],
    ['gender', 'age_band', 'golongan_group'],
    ['gender', 'age_band'],
    ['gender'],
    [],
] -%}
{%- set attributes = levels[0] -%}

with

employees as (

    select * from {{ ref('int_employee_latest') }}

),

described as (

    select
        {{ employee_key('employee_nip') }} as employee_key,
        opd_code,
        gender,
        {{ year_band("date_part('year', age(last_snapshot_date, birth_date))::integer", 10) }} as age_band,
        golongan_group,
        position_type,
        position_level

    from employees

),

-- Local suppression: an employee is shown at the most detailed level at which at least k of the employees
-- not shown at a more detailed level share their OPD and that level's attributes.
{%- for attributes_shown in levels %}
{%- set level = loop.index %}

level_{{ level }}_candidates as (

    select
        employee_key,
        opd_code,
        {%- for a in attributes %}
        {{ a }},
        {%- endfor %}
        count(*) over (partition by opd_code{% for a in attributes_shown %}, {{ a }}{% endfor %}) as class_size

    {%- if level == 1 %}
    from described
    {%- else %}
    from level_{{ level - 1 }}_candidates

    where class_size < {{ pembina_setting('k_anonymity_k', 'integer') }}
    {%- endif %}

),

level_{{ level }}_shown as (

    select
        employee_key,
        opd_code,
        {%- for a in attributes %}
        {% if a in attributes_shown %}{{ a }}{% else %}null::text as {{ a }}{% endif %},
        {%- endfor %}
        {{ level }} as disclosure_level

    from level_{{ level }}_candidates

    {%- if not loop.last %}
    where class_size >= {{ pembina_setting('k_anonymity_k', 'integer') }}
    {%- endif %}

),
{%- endfor %}

shown as (

    {%- for attributes_shown in levels %}
    select * from level_{{ loop.index }}_shown
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

classes as (

    select
        *,
        count(*) over (
            partition by disclosure_level, opd_code{% for a in attributes %}, {{ a }}{% endfor %}
        ) as class_size,
        count(*) filter (where disclosure_level = {{ levels | length }}) over (partition by opd_code)
            as opd_remainder

    from shown

),

-- Fewer than k left over in an OPD at the coarsest level: the OPD's smallest class joins them there, so they
-- are not singled out (only an OPD of fewer than k employees stays below k).
demoted_classes as (

    select distinct on (opd_code)
        opd_code,
        disclosure_level,
        {%- for a in attributes %}
        {{ a }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from classes

    where
        opd_remainder between 1 and {{ pembina_setting('k_anonymity_k', 'integer') }} - 1
        and disclosure_level < {{ levels | length }}

    order by opd_code asc, class_size asc, disclosure_level desc

),

final as (

    select
        classes.employee_key,
        case when demoted_classes.opd_code is null then classes.disclosure_level else {{ levels | length }} end
            as disclosure_level,
        classes.opd_code,
        {%- for a in attributes %}
        case when demoted_classes.opd_code is null then classes.{{ a }} end as {{ a }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from classes

    left join demoted_classes
        on
            classes.opd_code = demoted_classes.opd_code
            and classes.disclosure_level = demoted_classes.disclosure_level
            {%- for a in attributes %}
            and classes.{{ a }} is not distinct from demoted_classes.{{ a }}
            {%- endfor %}

)

select * from final
