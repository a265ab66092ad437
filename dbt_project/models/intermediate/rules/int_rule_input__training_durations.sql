-- Input interface of int_rule__training_jp (no rows; the unit tests give them).
select
    null::text as training_type,
    null::numeric as duration,
    null::text as duration_unit

where false
