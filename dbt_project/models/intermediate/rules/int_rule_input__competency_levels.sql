-- Input interface of int_rule__jpm_score (no rows; the unit tests give them): one row per assessment
-- and competency, with the assessed level and the standard level of the position.
select
    null::text as assessment_id,
    null::text as competency_name,
    null::numeric as assessed_level,
    null::numeric as standard_level

where false
