-- Input interface of int_rule__suppressed_cells (no rows; the unit tests give them).
select
    null::text as row_label,
    null::integer as count_a,
    null::integer as count_b,
    null::integer as count_c

where false
