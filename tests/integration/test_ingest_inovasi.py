"""Inovasi daerah register ingest: CSV and XLSX registers load into one raw table, the quarantine equals the
injected defects, each row carries its register's date, and a register without a year is rejected."""

import pytest
from ingest_helpers import check_source, load

from pembina import db

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def url(make_database):
    return make_database("pembina_t_inovasi")


@pytest.mark.parametrize("source", ["inovasi", "inovasi_xlsx"])
def test_quarantine_equals_the_manifest_reconciles_and_reruns_load_nothing(
    url, synthetic_sources, defect_rich_sources, source
):
    check_source(url, source, [synthetic_sources, defect_rich_sources])


def test_both_formats_share_the_raw_table_with_the_register_date(url, synthetic_sources):
    with db.connect(url) as conn:
        dates = conn.execute(
            "select distinct extract(year from _register_date)::int from raw.inovasi_register order by 1"
        ).fetchall()
    assert [year for (year,) in dates] == [2023, 2024, 2025]


def test_a_register_without_its_year_is_rejected(url, synthetic_sources, tmp_path):
    source = sorted((synthetic_sources / "landing" / "inovasi").glob("*.csv"))[-1]
    path = tmp_path / "register_inovasi_terbaru.csv"
    path.write_bytes(source.read_bytes().rsplit(b"\n", 2)[0] + b"\n")  # new content: not skipped as seen
    [result] = load(url, "inovasi", tmp_path, [path])
    assert result.status == "rejected"
    assert "must carry its year" in result.reason
