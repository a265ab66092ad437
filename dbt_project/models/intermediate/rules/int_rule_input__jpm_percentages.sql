-- Input interface of int_rule__jpm_category (no rows; the unit tests give them). An empty scale_code
-- means the active scale (setting jpm_active_scale).
select
    null::numeric as jpm_pct,
    null::text as scale_code

where false
