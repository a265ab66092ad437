-- Input interface of int_rule__skp_predikat: the unit tests give its rows; a mart applies the same macro
-- to its own ratings. No rows, nothing in the warehouse (ephemeral).
select
    null::text as hasil_kerja,
    null::text as perilaku_kerja,
    null::text as stated_predikat

where false
