-- Input interface of int_rule__ip_asn_category (no rows; the unit tests give them).
select null::numeric as ip_asn_score

where false
