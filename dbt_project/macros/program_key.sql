{% macro program_key(vendor_code, program_identifier) -%}
    {#- The training programme's key (dim_training_program): the vendor and its code-or-name. -#}
    md5({{ vendor_code }} || '|' || {{ program_identifier }})
{%- endmacro %}
