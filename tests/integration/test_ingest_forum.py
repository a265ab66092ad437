"""Forum Konsultasi Publik ingest: both workbook layouts load, the quarantine equals the injected defects,
every file reconciles for sessions and inputs, and a workbook that is neither layout is rejected."""

import pytest
from ingest_helpers import check_source, load
from openpyxl import Workbook, load_workbook

from pembina import db

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def url(make_database):
    return make_database("pembina_t_forum")


@pytest.mark.parametrize("source", ["forum", "forum_masukan"])
def test_quarantine_equals_the_manifest_reconciles_and_reruns_load_nothing(
    url, synthetic_sources, defect_rich_sources, source
):
    check_source(url, source, [synthetic_sources, defect_rich_sources])


def test_both_layouts_are_in_the_landing_data_and_their_inputs_carry_the_forum_code(url, synthetic_sources):
    layouts = set()
    for path in (synthetic_sources / "landing" / "forum").glob("*.xlsx"):
        layouts.add("semester" if "Forum" in load_workbook(path, read_only=True).sheetnames else "per forum")
    assert layouts == {"semester", "per forum"}
    with db.connect(url) as conn:
        # an input lacks its forum only where the forum's row was quarantined
        orphans = conn.execute(
            """select count(*), count(*) filter (where kode_forum not in (
                       select record ->> 'kode_forum' from raw.quarantine where source = 'forum'))
                 from raw.forum_masukan m
                where not exists (select from raw.forum_sesi s where s.kode_forum = m.kode_forum)"""
        ).fetchone()
        dates = conn.execute("select tanggal_forum from raw.forum_sesi limit 1").fetchone()[0]
    assert dates[4] == "-"  # written ISO by the ingest (the workbooks hold Excel dates)
    assert orphans[0] > 0 and orphans[1] == 0


def test_a_workbook_of_neither_layout_is_rejected(url, tmp_path):
    workbook = Workbook()
    workbook.active.title = "Rekap"
    path = tmp_path / "forum_kosong_2030_s1.xlsx"
    workbook.save(path)
    [result] = load(url, "forum", tmp_path, [path])
    assert result.status == "rejected"
    assert "holds no form" in result.reason
