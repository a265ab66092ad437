with

cell_counts as (

    select * from {{ ref('int_rule_input__cell_counts') }}

),

final as (

    select
        row_label,
        {{ suppressed_cells(['count_a', 'count_b', 'count_c']) }}

    from cell_counts

)

select * from final
