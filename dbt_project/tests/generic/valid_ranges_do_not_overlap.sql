{#- Fails for each pair of validity ranges of the same key that overlap. Ranges are half-open,
    [lower, upper), unless upper_bound_is_inclusive; an empty lower bound means "since always", an empty
    upper bound "still valid". -#}
{% test valid_ranges_do_not_overlap(
    model, partition_by, lower_bound_column, upper_bound_column, upper_bound_is_inclusive=false
) %}

with ranges as (

    select
        {{ partition_by }} as range_key,
        coalesce({{ lower_bound_column }}, '-infinity'::date) as lower_bound,
        coalesce({{ upper_bound_column }}, 'infinity'::date) as upper_bound,
        row_number() over (
            partition by {{ partition_by }}
            order by {{ lower_bound_column }} asc nulls first, {{ upper_bound_column }} asc nulls last
        ) as range_number
    from {{ model }}

)

select
    earlier.range_key,
    earlier.lower_bound as earlier_lower_bound,
    earlier.upper_bound as earlier_upper_bound,
    later.lower_bound as later_lower_bound,
    later.upper_bound as later_upper_bound
from ranges as earlier
inner join ranges as later
    on
        earlier.range_key = later.range_key
        and earlier.range_number < later.range_number
where
    {%- if upper_bound_is_inclusive %}
        earlier.lower_bound <= later.upper_bound
        and later.lower_bound <= earlier.upper_bound
    {%- else %}
        earlier.lower_bound < later.upper_bound
        and later.lower_bound < earlier.upper_bound
    {%- endif %}

{% endtest %}
