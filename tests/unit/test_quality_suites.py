"""The declared expectation suites (no database, no GX import): names, severities, SQL checks, patterns."""

from __future__ import annotations

import re

import pytest

from pembina.quality.suites import (
    CRITICAL,
    NIP_NIK_VALUE_REGEX,
    PERSONAL_DATA_REGEX,
    SUITES,
    UNEXPECTED_ROWS,
    WARNING,
    Check,
    Suite,
    critical,
    is_personal_data_column,
    rows_breaking,
)

# Data findings: reported, never blocking. Everything else on the new suites is critical.
FINDINGS = {
    ("raw_sources", "raw_table_without_rows"),
    ("marts_fct_performance_appraisal", "is_stated_predikat_consistent"),
    ("marts_mart_performance_distribution", "is_sangat_baik_within_cap"),
    ("marts_mart_performance_distribution", "is_distribution_pattern_met"),
    ("marts_fct_discipline_sanction", "is_stated_end_date_consistent"),
    ("raw_siasn_pegawai", "tmt_cpns"),
    ("staging_forum_follow_up", "follow_up_before_forum"),
    ("marts_mart_public_satisfaction", "is_sample_too_small"),
}
# The first suites, with the lead's severities (a few warnings among them).
FIRST_SUITES = {"raw_siasn_pegawai", "marts_dim_employee", "marts_mart_workforce_monthly", "marts_no_personal_data"}


def test_suite_names_are_unique_and_tables_are_checked_by_one_suite_each() -> None:
    names = [s.name for s in SUITES]
    assert len(names) == len(set(names))
    tables = [s.target for s in SUITES if s.table is not None]
    assert len(tables) == len(set(tables))


def test_severities_follow_the_policy() -> None:
    for suite in SUITES:
        if suite.name in FIRST_SUITES:
            continue
        for check in suite.checks:
            expected = WARNING if (suite.name, check.column) in FINDINGS else CRITICAL
            assert check.severity == expected, (suite.name, check.expectation, check.column)
    findings = {(s.name, c.column) for s in SUITES for c in s.checks if c.severity == WARNING}
    assert findings >= FINDINGS


def test_sql_checks_read_their_batch_and_format_as_gx_formats_them() -> None:
    queries = [c.kwargs["unexpected_rows_query"] for s in SUITES for c in s.checks if c.expectation == UNEXPECTED_ROWS]
    assert len(queries) > 10
    for query in queries:
        assert "{batch}" in query
        # GX aliases {batch} itself unless the query joins; these queries refer to columns unqualified.
        assert not re.search(r"\bjoin\b", query, re.IGNORECASE), query
        formatted = query.format(batch="(select 1) as subselect")  # no stray braces
        assert "select * from (select 1) as subselect where " in formatted


def test_checks_and_suites_refuse_what_gx_could_not_run() -> None:
    with pytest.raises(ValueError, match="must read"):
        rows_breaking(CRITICAL, "no batch", "select * from marts.dim_employee")
    with pytest.raises(ValueError, match="not a GX expectation"):
        Check("column_values_to_be_null", CRITICAL)
    with pytest.raises(ValueError, match="only a query can be materialized"):
        Suite(
            name="x",
            schema="marts",
            table="t",
            checks=(critical("expect_table_row_count_to_be_between"),),
            materialize=True,
        )


@pytest.mark.parametrize(
    ("value", "looks_like_an_id"),
    [
        ("198503122010011003", True),  # NIP
        ("9202014507900001", True),  # NIK
        ("NIP 198503122010011003 tanpa SKP.", True),
        ("NIK:9202014507900002", True),
        ("19850312 201001 1 003", True),  # NIP as it is often written
        ("'198503122010011003", True),
        ("12345678901234567", False),  # 17 digits
        ("1234567890123456789", False),  # 19 digits
        ("ab1234567890123456cd", False),  # digits inside an md5-like key
        ("e168db65f985790338d9a5432b6c1934", False),
        ("2.6666666666666667", False),  # a fraction
        ("OPD-DINKES", False),
        ("", False),
    ],
)
def test_the_nip_nik_value_pattern(value: str, looks_like_an_id: bool) -> None:
    # The pattern uses only syntax that PostgreSQL's and Python's regular expressions read alike.
    assert (re.search(NIP_NIK_VALUE_REGEX, value) is not None) == looks_like_an_id


@pytest.mark.parametrize(
    ("column", "personal"),
    [
        ("nip", True),
        ("NIP_BARU", True),
        ("employee_nip", True),
        ("nip_penilai", True),
        ("nomor_hp", True),
        ("no_hp", True),  # the SKM forms' phone column (raw.skm_responden)
        ("email_gov", True),
        ("decree_number", True),
        ("nama", True),
        ("participant_name", True),
        ("unor_nama", False),  # an organisation's name
        ("opd_name", False),
        ("decree_date", False),
        ("birth_year", False),
        ("employee_key", False),
        ("teknik", False),
        ("column_with_personal_numbers", False),
    ],
)
def test_personal_data_column_names(column: str, personal: bool) -> None:
    assert is_personal_data_column(column) == personal
    assert (re.search(PERSONAL_DATA_REGEX, f"marts.some_table.{column.lower()}") is not None) == personal


def test_the_marts_suites_validate_the_build_schema_never_the_published_one() -> None:
    from pembina.quality.suites import PUBLISHED_SCHEMAS, SOURCE_OF_RELATION
    from pembina.settings import MARTS_BUILD_SCHEMA, MARTS_SCHEMA

    mart_suites = [s for s in SUITES if s.name.startswith("marts_") and s.table is not None]
    assert mart_suites and {s.schema for s in mart_suites} == {MARTS_BUILD_SCHEMA}
    assert PUBLISHED_SCHEMAS == (MARTS_BUILD_SCHEMA,)
    assert {relation.split(".")[0] for relation, _ in SOURCE_OF_RELATION} == {MARTS_BUILD_SCHEMA}
    assert not [s.name for s in SUITES if s.query and f" {MARTS_SCHEMA}." in s.query]


def test_a_daily_run_reads_the_new_rows_of_growing_tables_and_whole_tables_elsewhere():
    from pembina.quality.suites import NEW_ROWS, suite_by_name

    raw = suite_by_name("raw_siasn_pegawai").on_new_rows(41)
    assert (raw.table, raw.query) == (None, "select * from raw.siasn_pegawai where _batch_id > 41")
    assert "expect_table_row_count_to_be_between" not in [c.expectation for c in raw.checks]
    sources = suite_by_name("raw_sources")
    assert NEW_ROWS in sources.query and NEW_ROWS not in sources.on_new_rows(41).query
    assert "_batch_id > 41" in sources.on_new_rows(41).query
    fact = suite_by_name("marts_fct_training_participation").on_new_rows(41, "2026-12-03 22:40:10.24+00")
    assert fact.query.endswith("where loaded_at >= '2026-12-03 22:40:10.24+00'::timestamptz")
    with pytest.raises(ValueError, match="start of the first batch after 41"):
        suite_by_name("marts_fct_training_participation").on_new_rows(41)
    whole = suite_by_name("marts_mart_jp_compliance")
    assert whole.on_new_rows(41) is whole and sources.on_new_rows(None) is sources
    with pytest.raises(ValueError, match="NEW_ROWS"):
        Suite(name="q", query="select 1", new_rows_column="_batch_id", checks=sources.checks)


def test_a_daily_run_scans_only_the_changed_relations_for_personal_values():
    from pembina.quality.suites import UNCHANGED_RELATION, suite_by_name

    scan = suite_by_name("marts_no_personal_values")
    assert scan.skips_unchanged and UNCHANGED_RELATION in scan.query
    whole = scan.on_changed_relations(None)
    assert "where not (false)" in whole.query and whole.checks == scan.checks
    daily = scan.on_changed_relations("table_name = 'dim_date'", "run 7")
    assert "where not (table_name = 'dim_date')" in daily.query and UNCHANGED_RELATION not in daily.query
    # an empty scan is no proof on a whole run, but a daily run with nothing changed scans nothing
    assert [c.expectation for c in daily.checks] == ["expect_column_values_to_be_null"]
    assert daily.target.endswith("(the relations changed since run 7)")
    assert suite_by_name("marts_mart_jp_compliance").on_changed_relations("true") is suite_by_name(
        "marts_mart_jp_compliance"
    )
    with pytest.raises(ValueError, match="unchanged relations"):
        Suite(name="q", query="select 1", skips_unchanged=True, checks=scan.checks)
