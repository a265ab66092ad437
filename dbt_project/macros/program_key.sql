{% macro program_key(vendor_code, program_identifier) -%}
    {#- The training programme's key (dim_training_program): the vendor and its code-or-name. -#}
    md5({{ vendor_code }} || '|' || {{ program_identifier }})
{%- endmacro %}

{% macro program_hash(vendor_code, program_identifier) -%}
    {#- An integer of the programme, for the staging table's indexes that lead with the programme: a few dozen
        programmes share millions of rows, and sorting them for an index on the vendor and programme texts
        compared those texts again and again (70 s of the full build's critical path at 600,000 ASN). Equal
        programmes have equal hashes, not the other way round: a query matches the hash, then the texts. -#}
    hashtextextended({{ vendor_code }} || '|' || {{ program_identifier }}, 0)
{%- endmacro %}
