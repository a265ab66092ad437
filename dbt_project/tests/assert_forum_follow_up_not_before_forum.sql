-- A forum input's follow-up is not dated before the forum it was raised in. The two dates sit in different
-- sheets of a semester workbook, so no row contract sees both: a warning for the OPD to correct, the input
-- still counts (GX suite staging_forum_follow_up reports the same finding in the run report).
{{ config(severity='warn') }}

select
    inputs.forum_code,
    inputs.input_number,
    forums.forum_date,
    inputs.follow_up_date

from {{ ref('stg_forum__masukan') }} as inputs

inner join {{ ref('stg_forum__sesi') }} as forums
    on inputs.forum_code = forums.forum_code

where inputs.follow_up_date < forums.forum_date
