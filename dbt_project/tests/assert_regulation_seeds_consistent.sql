-- The regulation seeds hold together: IP ASN weights add up to 100; each kualifikasi point is at most the
-- dimension's weight; the active JPM scale exists and starts at 0 %; numeric and boolean settings parse.
with

weights as (

    select * from {{ ref('ref_ip_asn_weight') }}

),

points as (

    select * from {{ ref('ref_ip_asn_points') }}

),

jpm_categories as (

    select * from {{ ref('ref_jpm_category') }}

),

settings as (

    select * from {{ ref('ref_pembina_settings') }}

),

findings as (

    select 'ip_asn_weights_do_not_add_up_to_100' as finding
    from weights
    having sum(weight) <> 100

    union all

    select 'ip_asn_points_above_weight_' || points.dimension || '_' || points.item_code as finding
    from points
    inner join weights on points.dimension = weights.dimension
    where points.points > weights.weight

    union all

    select 'jpm_active_scale_has_no_category_from_0' as finding
    from settings
    where
        settings.setting_name = 'jpm_active_scale'
        and not exists (
            select 1
            from jpm_categories
            where
                jpm_categories.scale_code = settings.setting_value
                and jpm_categories.lower_bound_pct = 0
        )

    union all

    select 'setting_does_not_parse_' || setting_name as finding
    from settings
    where
        (value_type = 'numeric' and setting_value !~ '^-?[0-9]+(\.[0-9]+)?$')
        or (value_type = 'boolean' and setting_value not in ('true', 'false'))

)

select * from findings
