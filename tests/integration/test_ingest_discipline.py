"""Discipline register ingest: quarantine equals the injected defects; a file with the wrong delimiter is
rejected with a reason."""

import pytest
from ingest_helpers import check_source, load

from pembina import db

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def url(make_database):
    return make_database("pembina_t_discipline")


def test_quarantine_equals_the_manifest_reconciles_and_reruns_load_nothing(url, synthetic_sources, defect_rich_sources):
    check_source(url, "discipline", [synthetic_sources, defect_rich_sources])
    with db.connect(url) as conn:
        dates = conn.execute("select tanggal_sk from raw.discipline_hukuman limit 1").fetchone()[0]
    assert dates[2] == "/"  # raw keeps the register's dd/mm/yyyy; staging types it


def test_a_comma_separated_register_is_rejected(url, synthetic_sources, tmp_path):
    source = sorted((synthetic_sources / "landing" / "discipline").glob("*.csv"))[-1]
    path = tmp_path / "hukuman_disiplin_2030.csv"
    path.write_text(source.read_text(encoding="utf-8").replace(";", ","), encoding="utf-8")
    [result] = load(url, "discipline", tmp_path, [path])
    assert result.status == "rejected"
    assert "names none of the expected columns" in result.reason
