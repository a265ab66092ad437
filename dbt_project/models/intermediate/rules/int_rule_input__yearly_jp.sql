-- Input interface of int_rule__jp_compliance (no rows; the unit tests give them).
select
    null::numeric as total_jp,
    null::integer as days_in_service,
    null::integer as year_days

where false
