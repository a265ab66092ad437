"""The incremental models (the staging tables, the facts, the programme dimension and the employee-year models:
every model materialized ``incremental``) hold the same rows after incremental runs as after a full refresh,
through the deliveries a real deployment sees: a first build before e-Kinerja ever sent a file (with a SIASN
export early in the last year), then a preliminary e-Kinerja year, a half-year of e-learning enrolments still in
progress and a course completed after the date of a SIASN export that has not arrived yet, while an e-learning
batch is still loading (opened before the others, it finishes after their build), then a build that fails on a
broken e-Kinerja row, then the final re-deliveries that correct some of those rows and add others, the year's
files of every other source and that SIASN export, in which the course's participant has moved to another OPD (a
full refresh gives the course the new OPD) and others have left the service, then a day of one course.

Real ingest, real dbt (in its own target folder) on a throw-away database of small synthetic sources."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from catalog_helpers import unique_indexes_taking_empty_values_as_equal

from pembina import db
from pembina.ingest import pipeline
from pembina.ingest.loader import ensure_raw_tables
from pembina.ingest.pipeline import ingest_source
from pembina.runtime import dbt_environment
from pembina.settings import get_settings

pytestmark = [pytest.mark.integration]

DATABASE = os.environ.get("PEMBINA_TEST_DATABASE", "pembina_test") + "_incremental"
# The facts that grow: the test fails if one of them is no longer incremental.
EXPECTED_INCREMENTAL_FACTS = {"fct_training_participation", "fct_performance_appraisal"}
# The staging tables that read only the load batches they do not hold yet.
EXPECTED_INCREMENTAL_STAGING = {
    "stg_assessment__kompetensi",
    "stg_discipline__hukuman",
    "stg_ekinerja__organisation_predikat",
    "stg_ekinerja__skp",
    "stg_forum__masukan",
    "stg_forum__sesi",
    "stg_inovasi__register",
    "stg_lapor__complaints",
    "stg_siasn__pegawai",
    "stg_skm__responses",
    "stg_training__participation",
    "stg_university__programme",
}
# Staging keys with columns a source leaves empty (only LAN RI sends a cohort, only e-learning an enrolment time).
KEYS_WITH_OPTIONAL_COLUMNS = {"stg_training__participation": ["cohort", "started_at"]}
# The employee-year models (and the participants of the training effectiveness mart) that recompute only the
# employees the new batches touch.
EXPECTED_INCREMENTAL_EMPLOYEE_YEARS = {
    "int_employee_year_outcomes",
    "int_employee_year_sanctions",
    "int_employee_year_training",
    "int_training_completion_outcomes",
    "mart_development_priorities",
    "mart_ip_asn",
    "mart_jp_compliance",
}
# The duplicate reports, matched again for the employees with a new report.
EXPECTED_INCREMENTAL_DUPLICATES = {"int_training_participation_duplicates"}
# The programme versions, grouped from the new batches, and the dimension that recomputes only the training
# programmes the new batches touch.
EXPECTED_INCREMENTAL_PROGRAMMES = {"int_training_program_versions", "dim_training_program"}
EXPECTED_INCREMENTAL = (
    EXPECTED_INCREMENTAL_FACTS
    | EXPECTED_INCREMENTAL_STAGING
    | EXPECTED_INCREMENTAL_EMPLOYEE_YEARS
    | EXPECTED_INCREMENTAL_PROGRAMMES
    | EXPECTED_INCREMENTAL_DUPLICATES
)
# Sources delivered once a year, their earlier years with the first delivery and the last year with the final.
# The source of the batch still loading during a build, and the models that fail on the broken e-Kinerja row.
LOADING_SOURCE = "training_elearning_asn"
LOADING_COURSE = "PEMBINA-TEST-LOADING"
ONE_DAY_COURSE = "PEMBINA-TEST-ONE-DAY"
SENT_AT_THE_SECOND_DELIVERY = {
    "stg_ekinerja__organisation_predikat",
    "stg_ekinerja__skp",
    "stg_training__participation",
}
BROKEN_PATH = ("stg_ekinerja__skp", "fct_performance_appraisal")
YEARLY_FAMILIES = ("assessment", "discipline", "forum", "inovasi", "lapor", "skm", "university")
INCREMENTAL = "config.materialized:incremental"
LAST_YEAR = 2025
CUT_OFF = f"{LAST_YEAR}-07-01"  # the preliminary deliveries of the last year were exported on this day


def _split_elearning(source: Path, preliminary: Path) -> None:
    """The platform's export of 30 June: enrolments of the first half-year, those completed later still in
    progress. The final export re-delivers them (completed now) with the second half-year's."""
    lines = []
    for line in source.read_text().splitlines():
        enrolment = json.loads(line)
        if enrolment["enrolled_at"] >= CUT_OFF:
            continue
        if enrolment["completed_at"] and enrolment["completed_at"] >= CUT_OFF:
            enrolment.update(completed=False, completed_at=None, score=None)
        lines.append(json.dumps(enrolment))
    preliminary.parent.mkdir(parents=True, exist_ok=True)
    preliminary.write_text("\n".join(lines) + "\n")


def _split_ekinerja(source: Path, preliminary: Path) -> None:
    """A preliminary e-Kinerja export: 60% of the year's appraisals, every tenth with a work result the final
    export corrects."""
    document = json.loads(source.read_text())
    appraisals = document["penilaian"][: len(document["penilaian"]) * 6 // 10]
    for appraisal in appraisals[::10]:
        appraisal["hasil_kerja"] = (
            "di bawah ekspektasi" if appraisal["hasil_kerja"] != "di bawah ekspektasi" else "sesuai ekspektasi"
        )
    document.update(penilaian=appraisals, jumlah_penilaian=len(appraisals))
    preliminary.parent.mkdir(parents=True, exist_ok=True)
    preliminary.write_text(json.dumps(document))


def _transferred_employee(before: Path, after: Path) -> str:
    """An employee in both SIASN exports, in another OPD in the second."""

    def opd_by_nip(path: Path) -> dict[str, str]:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            rows = [
                {name.lower(): value for name, value in row.items()} for row in csv.DictReader(handle, delimiter="|")
            ]
        return {row["nip_baru"].strip("' "): row["unor_id"] for row in rows}

    first, second = opd_by_nip(before), opd_by_nip(after)
    return next(nip for nip in sorted(second) if first.get(nip) and second[nip] and first[nip] != second[nip])


def _course_after_the_export(siasn: list[Path], course_id: str = "ASN-BLD-0001") -> dict:
    """A course the transferred employee completed the day after the last SIASN export's date (the export
    itself arrives later), as the e-learning platform exports it."""
    snapshot = datetime.strptime(siasn[-1].stem[-8:], "%Y%m%d").date()
    day = (snapshot + timedelta(days=2)).isoformat()
    return {
        "nip": _transferred_employee(siasn[-2], siasn[-1]),
        "course_id": course_id,
        "course_title": "Orientasi Nilai Dasar BerAKHLAK",
        "enrolled_at": f"{day}T08:00:00+09:00",
        "completed_at": f"{day}T11:00:00+09:00",
        "duration_minutes": 180,
        "completed": True,
        "score": 90,
    }


def _early_export_of_the_last_year(siasn: list[Path], work: Path) -> Path:
    """An export dated 31 March of the last export's year showing what the export before it showed (less its
    last row, or it would be the same file): the last export then opens no year, and its build recomputes the
    employees in it only, not those who left before it."""
    last_date = siasn[-1].stem[-8:]
    path = work / "siasn" / siasn[-1].name.replace(last_date, f"{last_date[:4]}0331")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(siasn[-2].read_bytes().splitlines(keepends=True)[:-1]))
    return path


def _write_lines(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(record) + "\n" for record in records))


def _deliveries(landing: Path, work: Path) -> list[dict[str, list[Path]]]:
    """Four deliveries, each a family -> files to ingest, in the order they arrive."""
    siasn = sorted((landing / "siasn").glob("*.csv"))
    skp = {path.stem[-4:]: path for path in (landing / "ekinerja").glob("skp_*.json")}

    def training(year: str) -> list[Path]:
        return sorted((landing / "training").glob(f"*/*_{year}.*"))

    elearning_final = landing / "training" / "elearning_asn" / f"course_completions_{LAST_YEAR}.jsonl"
    elearning_preliminary = work / "elearning_asn" / f"course_completions_{LAST_YEAR}_0630.jsonl"
    ekinerja_preliminary = work / "ekinerja" / f"skp_{LAST_YEAR}_0630.json"
    _split_elearning(elearning_final, elearning_preliminary)
    _split_ekinerja(skp[str(LAST_YEAR)], ekinerja_preliminary)
    elearning_after_the_export = work / "elearning_asn" / "course_completions_after_export.jsonl"
    _write_lines(elearning_after_the_export, [_course_after_the_export(siasn)])
    elearning_one_day = work / "elearning_asn" / "course_completions_one_day.jsonl"
    one_day_course = _course_after_the_export(siasn, course_id=ONE_DAY_COURSE) | {"course_title": "Literasi Digital"}
    _write_lines(elearning_one_day, [one_day_course])
    earlier_years = [str(year) for year in range(LAST_YEAR - 2, LAST_YEAR)]

    def yearly(last_year: bool) -> dict[str, list[Path]]:
        return {
            family: [
                path for path in sorted((landing / family).rglob("*.*")) if (str(LAST_YEAR) in path.name) == last_year
            ]
            for family in YEARLY_FAMILIES
        }

    return [
        # the first deployment: SIASN (up to an export early in the last year), training and the yearly sources
        # so far, no e-Kinerja file yet (its raw table is empty)
        {
            "siasn": [*siasn[:-1], _early_export_of_the_last_year(siasn, work)],
            "training": [path for year in earlier_years for path in training(year)],
            **yearly(last_year=False),
        },
        # e-Kinerja's past years, preliminary exports of the current year, a course after the next SIASN date
        {
            "ekinerja": [skp[year] for year in earlier_years] + [ekinerja_preliminary],
            "training": [elearning_preliminary, elearning_after_the_export],
        },
        # the year's final exports (re-deliveries that correct and add), the next SIASN export
        {
            "siasn": siasn[-1:],
            "ekinerja": [skp[str(LAST_YEAR)]],
            "training": training(str(LAST_YEAR)),
            **yearly(last_year=True),
        },
        # a day of one e-learning course
        {"training": [elearning_one_day]},
    ]


def _ingest(delivery: dict[str, list[Path]]) -> None:
    for family, paths in delivery.items():
        results = ingest_source(family, paths)
        assert results and {result.status for result in results} == {"loaded"}, [r.as_dict() for r in results]


class Dbt:
    """dbt as the pipeline runs it, with a target and log folder of its own."""

    def __init__(self, target: Path, project: Path | None = None):
        self.settings = get_settings()
        self.target = target
        self.project = project or self.settings.dbt_project_dir

    def __call__(self, *arguments: str, succeed: bool = True) -> subprocess.CompletedProcess:
        command = [
            str(Path(sys.executable).with_name("dbt")),
            *arguments,
            "--project-dir",
            str(self.project),
            "--target-path",
            str(self.target),
            "--log-path",
            str(self.target / "logs"),
        ]
        started = time.perf_counter()
        run = subprocess.run(
            command, env={**os.environ, **dbt_environment(self.settings)}, capture_output=True, text=True
        )
        print(f"dbt {' '.join(arguments)}: {time.perf_counter() - started:.1f} s")
        assert (run.returncode == 0) == succeed, f"{' '.join(arguments)}\n{run.stdout[-4000:]}{run.stderr[-2000:]}"
        return run

    def results(self) -> dict[str, dict]:
        """Each node's result in the last run, by node name."""
        results = json.loads((self.target / "run_results.json").read_text())["results"]
        return {result["unique_id"].split(".")[-1]: result for result in results}

    def incremental_models(self) -> dict[str, str]:
        """Each model materialized incremental -> its relation, from the last run's manifest."""
        nodes = json.loads((self.target / "manifest.json").read_text())["nodes"].values()
        return {
            node["name"]: node["relation_name"]
            for node in nodes
            if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
        }


def _count(conn, relation: str) -> int:
    return conn.execute(f"select count(*) from {relation}").fetchone()[0]


def _keep(conn, relations: dict[str, str], step: str) -> dict[str, int]:
    """Copies each fact as it is now into public.<step>__<model>; returns the row counts."""
    for model, relation in relations.items():
        conn.execute(f"create table public.{step}__{model} as select * from {relation}")
    conn.commit()
    return {model: _count(conn, relation) for model, relation in relations.items()}


INCREMENTAL_BUILD = (
    "build",
    "--select",
    f"+{INCREMENTAL}",
    "--exclude-resource-type",
    "test",
    "--exclude-resource-type",
    "unit_test",
)


def _watermarks(conn) -> dict[str, tuple[int, list[int]]]:
    """Each incremental relation's watermark (the batch it holds up to, the batches below it it does not hold),
    by model, for the relations that exist now."""
    rows = conn.execute(
        """select model, batch_id, pending_batch_ids from audit.model_watermarks
            where relation_oid in (select oid from pg_class)"""
    ).fetchall()
    return {model: (batch_id, pending) for model, batch_id, pending in rows}


def _open_loading_batch(path: Path) -> int:
    """An e-learning batch whose one file is loaded (its rows are in raw) but which is not closed yet."""
    batch_id = pipeline.open_batch(LOADING_SOURCE, run_id="still-loading")
    assert pipeline.load_file(LOADING_SOURCE, str(path), batch_id).status == "loaded"
    return batch_id


def _fail_a_build(dbt: Dbt, url: str, relations: dict[str, str]) -> dict:
    """A finished e-Kinerja batch with a row whose year is not a number: staging fails on it. Returns the
    watermarks before and after the failed build; the row is then removed (corrected) for the next build."""
    with db.connect(url) as conn:
        broken = conn.execute(
            """insert into audit.load_batches (source, status, finished_at)
               values ('ekinerja', 'succeeded', now()) returning batch_id"""
        ).fetchone()[0]
        conn.execute(
            """insert into raw.ekinerja_skp (nip, tahun, periode, _batch_id, _file_id, _row_number)
               values ('199001012015031001', 'not a year', 'TAHUNAN', %s, 0, 1)""",
            (broken,),
        )
        conn.commit()
        before = _watermarks(conn)
        rows_before = {model: _count(conn, relations[model]) for model in BROKEN_PATH}
    dbt(*INCREMENTAL_BUILD, succeed=False)
    statuses = {model: dbt.results()[model]["status"] for model in relations}
    with db.connect(url) as conn:
        after = _watermarks(conn)
        rows_after = {model: _count(conn, relations[model]) for model in BROKEN_PATH}
        conn.execute("delete from raw.ekinerja_skp where _batch_id = %s", (broken,))
        conn.commit()
    return {
        "batch_id": broken,
        "before": before,
        "after": after,
        "statuses": statuses,
        "rows_before": rows_before,
        "rows_after": rows_after,
    }


@pytest.fixture(scope="module")
def runs(make_database, tmp_path_factory):
    """Runs the scenario; returns the URL, the incremental models' relations, their row counts after each
    delivery and what dbt reported for them, and what the loading batch and the failed build left. Each
    step's rows are kept in public.<step>__<model>."""
    from pembina.synth import generate

    root = tmp_path_factory.mktemp("incremental")
    # no injected defects: a row the ingest quarantines would only blur which rows each step adds
    generate(root / "synth", scale=300, seed=5, progress=False, defect_rate=0)
    url = make_database(DATABASE)
    landing = root / "synth" / "landing"
    loading_file = root / "deliveries" / "elearning_asn" / "course_completions_still_loading.jsonl"
    siasn = sorted((landing / "siasn").glob("*.csv"))
    # loaded before the second delivery, read after it: the course the second delivery sends, completed an hour
    # earlier in this export (the later load wins), and a course of its own
    sent_again = _course_after_the_export(siasn)
    sent_again["completed_at"] = sent_again["completed_at"].replace("T11:", "T10:")
    _write_lines(loading_file, [sent_again, _course_after_the_export(siasn, course_id=LOADING_COURSE)])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PEMBINA_WAREHOUSE_URL", url)
        with db.connect(url) as conn:
            ensure_raw_tables(conn)
            conn.commit()
        dbt = Dbt(root / "target")
        counts, responses = [], []
        for step, delivery in enumerate(_deliveries(landing, root / "deliveries")):
            if step == 1:
                loading_batch = _open_loading_batch(loading_file)
            if step == 2:
                pipeline.close_batch(loading_batch, [str(loading_file)])
            _ingest(delivery)
            if step == 0:
                # the first build: the facts and everything they read from scratch, with their data tests
                # (cautious: not the relationships to marts outside the selection)
                dbt("build", "--select", f"+{INCREMENTAL}", "--indirect-selection", "cautious")
                relations = dbt.incremental_models()
            else:
                # then the same models again after each delivery, incrementally
                dbt(*INCREMENTAL_BUILD)
            results = dbt.results()
            responses.append({model: results[model]["adapter_response"] for model in relations})
            with db.connect(url) as conn:
                counts.append(_keep(conn, relations, f"step{step}"))
                if step == 1:
                    loading = {
                        "batch_id": loading_batch,
                        "in_raw": _count(conn, f"raw.training_participation where _batch_id = {loading_batch}"),
                        "watermarks": _watermarks(conn),
                    }
            if step == 1:
                failed_build = _fail_a_build(dbt, url, relations)
        # the views between staging and the facts too: a full refresh drops the tables they read
        dbt("run", "--full-refresh", "--select", f"+{INCREMENTAL}")
        with db.connect(url) as conn:
            last_batch = conn.execute("select max(batch_id) from audit.load_batches").fetchone()[0]
            watermarks = _watermarks(conn)
        yield {
            "url": url,
            "landing": landing,
            "relations": relations,
            "counts": counts,
            "responses": responses,
            "loading": loading,
            "failed_build": failed_build,
            "last_batch": last_batch,
            "watermarks": watermarks,
            "moved_nip": _transferred_employee(siasn[-2], siasn[-1]),
        }


def test_the_growing_models_are_incremental(runs):
    assert set(runs["relations"]) >= EXPECTED_INCREMENTAL


def test_incremental_runs_equal_a_full_refresh(runs):
    """Same rows, column for column (none is excluded: no column depends on when or how the row was built).
    Reports, per model, the rows only the incremental runs hold and those only the full refresh holds."""
    last = len(runs["counts"]) - 1
    differences = {}
    with db.connect(runs["url"]) as conn:
        for model, relation in sorted(runs["relations"].items()):
            incremental = f"public.step{last}__{model}"
            only_incremental = _count(conn, f"(select * from {incremental} except all select * from {relation}) as d")
            only_full = _count(conn, f"(select * from {relation} except all select * from {incremental}) as d")
            if only_incremental or only_full:
                differences[model] = {"only_incremental": only_incremental, "only_full_refresh": only_full}
            assert _count(conn, relation) > 0, model
    assert differences == {}


@pytest.mark.parametrize("model", sorted(EXPECTED_INCREMENTAL_FACTS))
def test_each_delivery_was_inserted_incrementally(runs, model):
    """Each later delivery grew the fact through an insert (delete+insert) of the delivery's rows, not a
    rebuild of the table: e-Kinerja's first files reach their fact although it was first built on an empty
    source, and the final exports' insert also holds the rows they re-deliver."""
    counts = [step[model] for step in runs["counts"]]
    assert counts[0] < counts[1] < counts[2], counts
    for step in (1, 2):
        response = runs["responses"][step][model]
        assert response["code"] == "INSERT", response
        added = counts[step] - counts[step - 1]
        assert added <= response["rows_affected"] <= counts[step], (step, response, counts)
        if counts[step - 1]:
            assert response["rows_affected"] < counts[step], (step, response, counts)
    assert runs["responses"][2][model]["rows_affected"] > counts[2] - counts[1], "no re-delivered row replaced"


def test_the_programmes_of_new_batches_only_were_recomputed(runs):
    """The second delivery's e-learning batches touched the platform's courses only: the programme dimension
    deleted and inserted those, not the other vendors' programmes (the full refresh agrees:
    test_incremental_runs_equal_a_full_refresh)."""
    response = runs["responses"][1]["dim_training_program"]
    with db.connect(runs["url"]) as conn:
        programmes, elearning = conn.execute(
            """select count(*), count(*) filter (where vendor_code = 'elearning_asn')
                 from public.step1__dim_training_program"""
        ).fetchone()
    assert response["code"] == "INSERT", response
    assert 0 < response["rows_affected"] <= elearning < programmes, (response, elearning, programmes)


# Each fact's key and the column the final exports correct (the preliminary delivery's rows differ there).
CORRECTED = {
    "fct_training_participation": ("participation_key", "completion_status"),
    "fct_performance_appraisal": ("appraisal_key", "work_result_rating"),
}


@pytest.mark.parametrize("model", sorted(CORRECTED))
def test_re_delivered_rows_replaced_the_preliminary_ones(runs, model):
    """The final exports corrected rows of the preliminary ones in place (same key, another value) and
    dropped none of them."""
    key, column = CORRECTED[model]
    with db.connect(runs["url"]) as conn:
        preliminary, kept, corrected = conn.execute(
            f"""select count(*), count(final.{key}),
                       count(*) filter (where final.{column} <> preliminary.{column})
                  from public.step1__{model} as preliminary
                  left join public.step2__{model} as final using ({key})"""
        ).fetchone()
    assert preliminary == kept
    assert corrected > 0


@pytest.mark.parametrize("model", sorted(EXPECTED_INCREMENTAL_STAGING))
def test_staging_reads_only_new_batches(runs, model):
    """After the first build each staging table only inserted the rows of new batches: none at the second
    delivery when its source sent nothing then, never a rebuild of the table."""
    counts = [step[model] for step in runs["counts"]]
    assert counts[2] > 0 and counts[0] <= counts[1] <= counts[2], counts
    for step in (1, 2):
        assert runs["responses"][step][model]["code"] == "INSERT", runs["responses"][step][model]
    if model not in SENT_AT_THE_SECOND_DELIVERY:
        assert runs["responses"][1][model]["rows_affected"] == 0, runs["responses"][1][model]
        assert counts[1] == counts[0], counts


@pytest.mark.parametrize("model", sorted(EXPECTED_INCREMENTAL_STAGING))
def test_staging_keys_are_unique_indexes_that_take_empty_values_as_equal(runs, model):
    """Each staging table has one unique index, its natural key, that takes empty (null) key values as equal
    (macros/create_index.sql): the database refuses a key twice, as a composite-key test would count it. A copy
    of the table's row with the most empty key columns is refused."""
    relation = runs["relations"][model]
    with db.connect(runs["url"]) as conn:
        [columns] = unique_indexes_taking_empty_values_as_equal(conn, relation)
        empty_key_columns = " + ".join(f"({column} is null)::integer" for column in columns)
        [(most_empty,)] = conn.execute(f"select max({empty_key_columns}) from {relation}").fetchall()
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute(f"insert into {relation} select * from {relation} order by {empty_key_columns} desc limit 1")
        conn.rollback()
    if model in KEYS_WITH_OPTIONAL_COLUMNS:
        assert set(KEYS_WITH_OPTIONAL_COLUMNS[model]) <= set(columns), columns
        assert most_empty > 0, f"no row of {model} left a key column empty: the test proves nothing about them"


def test_a_batch_still_loading_is_read_once_finished(runs):
    """An e-learning batch opened before the second delivery and closed only before the third: its rows were
    in raw during the second build, which read none of them and left the batch pending. The third read them:
    its new course is in staging, and its row of the course the second delivery loaded later did not replace
    that row (the full refresh agrees: test_incremental_runs_equal_a_full_refresh)."""
    loading = runs["loading"]
    batch_id = loading["batch_id"]
    assert loading["in_raw"] == 2
    watermark, pending = loading["watermarks"]["stg_training__participation"]
    assert batch_id < watermark and batch_id in pending, loading["watermarks"]
    with db.connect(runs["url"]) as conn:
        read = [
            _count(conn, f"public.step{step}__stg_training__participation where batch_id = {batch_id}")
            for step in (1, 2)
        ]
        # the only courses after the synthetic years: the one the second delivery sent and the batch's own
        courses = conn.execute(
            """select course_id, batch_id = %s, extract(hour from completed_at at time zone 'Asia/Jayapura')
                 from public.step2__stg_training__participation
                where started_at >= date '2026-01-01' order by course_id""",
            (batch_id,),
        ).fetchall()
    assert read == [0, 1]
    assert courses == [("ASN-BLD-0001", False, 11), (LOADING_COURSE, True, 11)], courses


def test_a_failed_build_does_not_advance_its_models_watermarks(runs):
    """The build that failed on the broken e-Kinerja row left the failed staging model and the fact after it
    as they were, rows and watermark; the models that succeeded hold the batch. The next build read it."""
    failed = runs["failed_build"]
    assert failed["statuses"]["stg_ekinerja__skp"] == "error", failed["statuses"]
    assert failed["statuses"]["fct_performance_appraisal"] == "skipped", failed["statuses"]
    for model in BROKEN_PATH:
        assert failed["after"][model] == failed["before"][model], model
        assert failed["rows_after"][model] == failed["rows_before"][model], model
    assert failed["after"]["stg_siasn__pegawai"][0] == failed["batch_id"], failed["after"]
    assert failed["before"]["stg_siasn__pegawai"][0] < failed["batch_id"], failed["before"]


def test_every_relation_holds_every_batch_at_the_end(runs):
    """Each incremental relation's watermark after the full refresh holds every batch, none pending."""
    assert set(runs["watermarks"]) >= EXPECTED_INCREMENTAL
    for model in EXPECTED_INCREMENTAL:
        assert runs["watermarks"][model] == (runs["last_batch"], []), model


# -- the whole project after the scenario: work only where the inputs changed ------------------------------

NEW_DAY_COURSE = "PEMBINA-TEST-NEW-DAY"
# a table model with table models after it, whose code the test changes (a comment: the same rows)
CHANGED_MODEL = "int_employee_service_periods"
SNAPSHOT = "snp_siasn__employee"


def _codes(dbt: Dbt) -> dict[str, str]:
    """Each node's adapter response code in the last run (UNCHANGED: not rebuilt or reloaded), by name."""
    return {name: result["adapter_response"].get("code") for name, result in dbt.results().items()}


def _tables_downstream(manifest: dict, starts: set[str]) -> set[str]:
    """The table models reached from models `starts` through views, ephemeral models and tables (an
    incremental model on the way changes only if it writes rows: not followed)."""
    nodes, found, pending = manifest["nodes"], set(), [f"model.pembina.{name}" for name in starts]
    while pending:
        for child in manifest["child_map"].get(pending.pop(), []):
            materialized = nodes[child]["config"].get("materialized") if child in nodes else None
            if nodes.get(child, {}).get("resource_type") != "model" or child in found:
                continue
            found.add(child)
            if materialized != "incremental":
                pending.append(child)
    return {child.split(".")[-1] for child in found if nodes[child]["config"]["materialized"] == "table"}


def _publish_last_build(url: str, invocation_id: str) -> None:
    """The record a publication of that build leaves (the daily data tests start from it)."""
    with db.connect(url) as conn:
        conn.execute(
            """insert into audit.publications (schema_name, relations, build_id)
               select 'marts', '{}', build_id from audit.dbt_builds where invocation_id = %s""",
            (invocation_id,),
        )
        conn.commit()


def _changed_copy_of_the_project(root: Path) -> Path:
    project = root / "changed_project"
    shutil.copytree(
        get_settings().dbt_project_dir, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages")
    )
    model = next(project.rglob(f"{CHANGED_MODEL}.sql"))
    model.write_text("-- reviewed: the same rows\n" + model.read_text())
    return project


@pytest.fixture(scope="module")
def skipping(runs, tmp_path_factory):
    """After the scenario: the whole project run, then runs with nothing new (and the daily data tests
    after its publication), a new e-learning batch, a change of one model's code, then a full refresh.
    Returns each run's node codes, the tests' compiled SQL, the manifest and the differences between the
    tables before the full refresh and after."""
    url, root = runs["url"], tmp_path_factory.mktemp("skipping")
    found = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PEMBINA_WAREHOUSE_URL", url)
        dbt = Dbt(root / "target")
        # the seeds and marts outside the scenario's selection, loaded and built for the first time
        dbt("seed")
        dbt("run")
        dbt("snapshot")
        found["snapshot"] = {"first": _codes(dbt)[SNAPSHOT]}
        dbt("seed")
        found["seed"] = _codes(dbt)
        dbt("run")
        found["nothing_new"] = _codes(dbt)
        _publish_last_build(
            url, json.loads((root / "target" / "run_results.json").read_text())["metadata"]["invocation_id"]
        )
        # the data tests of the models (the snapshot is not part of this scenario)
        since = json.dumps({"tests_since_batch": runs["last_batch"]})
        dbt("test", "--vars", since, "--exclude-resource-type", "unit_test", "--exclude", "snp_siasn__employee")
        found["tests"] = {
            result["unique_id"]: result["compiled_code"]
            for result in json.loads((root / "target" / "run_results.json").read_text())["results"]
        }
        found["manifest"] = json.loads((root / "target" / "manifest.json").read_text())
        dbt("snapshot")
        found["snapshot"]["nothing_new"] = _codes(dbt)[SNAPSHOT]
        course = _course_after_the_export(sorted((runs["landing"] / "siasn").glob("*.csv")), NEW_DAY_COURSE)
        new_day = root / "elearning_asn" / "course_completions_new_day.jsonl"
        _write_lines(new_day, [course])
        _ingest({"training": [new_day]})
        dbt("run")
        found["one_source"] = _codes(dbt)
        found["one_source_rows"] = {name: result["adapter_response"] for name, result in dbt.results().items()}
        dbt("snapshot")
        found["snapshot"]["one_source"] = _codes(dbt)[SNAPSHOT]
        Dbt(root / "changed_target", _changed_copy_of_the_project(root))("run")
        found["code_change"] = _codes(Dbt(root / "changed_target"))
        tables = {
            name: node["relation_name"]
            for name, node in ((node["name"], node) for node in found["manifest"]["nodes"].values())
            if node["resource_type"] == "model" and node["config"]["materialized"] in ("table", "incremental")
        }
        with db.connect(url) as conn:
            for name, relation in tables.items():
                conn.execute(f"create table public.before_refresh__{name} as select * from {relation}")
            conn.commit()
        dbt("run", "--full-refresh")
        dbt("snapshot")
        found["snapshot"]["inputs_rebuilt"] = _codes(dbt)[SNAPSHOT]
        with db.connect(url) as conn:
            found["differences"] = {
                name: (
                    _count(
                        conn, f"(select * from public.before_refresh__{name} except all select * from {relation}) as d"
                    ),
                    _count(
                        conn, f"(select * from {relation} except all select * from public.before_refresh__{name}) as d"
                    ),
                )
                for name, relation in tables.items()
            }
    return found


def _table_models(manifest: dict) -> set[str]:
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "table"
    }


def test_nothing_new_rebuilds_no_table_and_reloads_no_seed(skipping):
    tables, codes = _table_models(skipping["manifest"]), skipping["nothing_new"]
    assert len(tables) > 20
    assert {name for name in tables if codes[name] != "UNCHANGED"} == set()
    seeds = {node["name"] for node in skipping["manifest"]["nodes"].values() if node["resource_type"] == "seed"}
    assert len(seeds) > 20 and {skipping["seed"][name] for name in seeds} == {"UNCHANGED"}, skipping["seed"]


def test_the_snapshot_runs_only_when_what_it_reads_changed(skipping):
    """No run with nothing new in SIASN (nothing new at all, or a day of e-learning) could record a version: those
    are not run; after a run that rebuilt the employee states it reads (the full refresh), it runs."""
    ran = {step: code != "UNCHANGED" for step, code in skipping["snapshot"].items()}
    assert ran == {"first": True, "nothing_new": False, "one_source": False, "inputs_rebuilt": True}, skipping[
        "snapshot"
    ]


def test_daily_tests_of_unchanged_relations_read_nothing(skipping):
    """After the publication of a build with nothing new, every test that reads only tables, incremental models
    and seeds reads no row (`where false`); the tests of views still read theirs."""
    nodes = skipping["manifest"]["nodes"]
    kinds = {node["unique_id"]: (node["resource_type"], node["config"].get("materialized")) for node in nodes.values()}
    read_nothing, read = set(), set()
    for unique_id, compiled in skipping["tests"].items():
        test, name = nodes[unique_id], nodes[unique_id]["name"]
        if not test.get("test_metadata"):
            continue  # singular tests read what they read
        if test["test_metadata"]["name"] == "primary_key_is_enforced":
            assert "dbt_subquery" not in compiled, name  # reads the catalog: it needs the relation itself
            continue
        tracked = all(
            kinds.get(parent, (None, None))[0] == "seed"
            or kinds.get(parent, (None, None))[1] in ("table", "incremental")
            for parent in test["depends_on"]["nodes"]
        )
        (read_nothing if " where false) dbt_subquery" in compiled else read).add((name, tracked))
    assert read_nothing and all(tracked for _, tracked in read_nothing)
    assert read and not any(tracked for _, tracked in read), sorted(read)


def test_a_new_batch_of_one_source_rebuilds_exactly_its_descendants(skipping):
    """The incremental models that wrote rows of the new e-learning batch (staging, the fact, the programme
    dimension, the employee-year models), then exactly the tables after them."""
    rows, nodes = skipping["one_source_rows"], skipping["manifest"]["nodes"].values()
    incremental = {node["name"] for node in nodes if node["config"].get("materialized") == "incremental"}
    changed = {name for name in incremental if name in rows and (rows[name].get("rows_affected") or 0) > 0}
    assert {"stg_training__participation", "fct_training_participation", "mart_jp_compliance"} <= changed, rows
    expected = _tables_downstream(skipping["manifest"], changed)
    rebuilt = {name for name in _table_models(skipping["manifest"]) if skipping["one_source"][name] != "UNCHANGED"}
    assert "mart_jp_compliance_by_opd" in expected and "mart_competency_gap" not in expected
    assert rebuilt == expected


def test_a_code_change_rebuilds_the_model_and_what_reads_it(skipping):
    expected = {CHANGED_MODEL} | _tables_downstream(skipping["manifest"], {CHANGED_MODEL})
    rebuilt = {name for name in _table_models(skipping["manifest"]) if skipping["code_change"][name] != "UNCHANGED"}
    assert len(expected) > 1 and rebuilt == expected


def test_the_skipped_tables_equal_a_full_refresh(skipping):
    assert len(skipping["differences"]) > 30
    assert {name: rows for name, rows in skipping["differences"].items() if rows != (0, 0)} == {}


def _employee_year_rows(conn, table: str, nip: str, columns: str) -> list[tuple]:
    return conn.execute(
        f"""select calendar_year, {columns} from {table}
             where employee_key = (select employee_key from intermediate.int_employee_years where employee_nip = %s
                                    limit 1)
             order by calendar_year""",
        (nip,),
    ).fetchall()


def test_the_last_export_moved_an_employee_and_others_retired_before_it(runs):
    """The last SIASN export, in the year of the export before it (it closes no year for everyone), moved an
    employee to another OPD: the incremental build changed their row of that year. Employees who retired between
    the two exports are not in it: the build left their row of that year as it was (their pension start was
    known from the birth date and the BUP). The full refresh agrees: test_incremental_runs_equal_a_full_refresh."""
    year = LAST_YEAR + 1
    with db.connect(runs["url"]) as conn:
        opds = [
            dict(_employee_year_rows(conn, f"public.step{step}__mart_jp_compliance", runs["moved_nip"], "opd_code"))
            for step in (1, 2)
        ]
        retired_absent, unchanged = conn.execute(
            f"""with exports as (select max(snapshot_date) as last_date from staging.stg_siasn__pegawai),
                retired_absent as (
                    select years.employee_key from intermediate.int_employee_years as years cross join exports
                     where years.left_service_reason = 'retired'
                       and years.left_service_date between date '{year}-04-01' and exports.last_date
                       and not exists (select from staging.stg_siasn__pegawai as exported
                                        where exported.employee_nip = years.employee_nip
                                          and exported.snapshot_date = exports.last_date))
                select count(*), count(before_export.employee_key)
                  from retired_absent as absent
                  left join lateral (select * from public.step1__mart_jp_compliance
                                      where employee_key = absent.employee_key and calendar_year = {year}
                                     intersect select * from public.step2__mart_jp_compliance) as before_export
                    on true"""
        ).fetchone()
    assert opds[0][year] != opds[1][year], opds
    assert retired_absent > 0
    assert unchanged == retired_absent


# The employee-year models whose year reads the training of that year and earlier ones only, with their year
# column: a day of training recomputes its employees' rows from the year of its courses on.
BY_YEAR_OF_TRAINING = {
    "int_employee_year_training": "calendar_year",
    "int_training_completion_outcomes": "training_year",
    "mart_development_priorities": "calendar_year",
    "mart_ip_asn": "calendar_year",
    "mart_jp_compliance": "calendar_year",
}


@pytest.mark.parametrize("model", sorted(EXPECTED_INCREMENTAL_EMPLOYEE_YEARS))
def test_a_day_of_one_course_recomputes_its_employee_only(runs, model):
    """The last delivery, one course of one employee: each employee-year model deleted and inserted that
    employee's rows (and, where a re-delivery can move a sanction or an innovation to another employee, those of
    the employees with one), not the whole table, and those reading training by year only the employee's rows of
    the course's year and later; the course's JP count in the employee's year."""
    response, count = runs["responses"][3][model], runs["counts"][3][model]
    course_year = LAST_YEAR + 1
    assert response["code"] == "INSERT", response
    assert response["rows_affected"] < count / 2, (response, count)
    with db.connect(runs["url"]) as conn:
        jp = [
            dict(_employee_year_rows(conn, f"public.step{step}__mart_jp_compliance", runs["moved_nip"], "total_jp"))
            for step in (2, 3)
        ]
        if model in BY_YEAR_OF_TRAINING:
            rows_from_the_course_year, employee_rows = conn.execute(
                f"""select count(*) filter (where {BY_YEAR_OF_TRAINING[model]} >= %s), count(*)
                      from public.step3__{model}
                     where employee_key = (select employee_key from intermediate.int_employee_years
                                            where employee_nip = %s limit 1)""",
                (course_year, runs["moved_nip"]),
            ).fetchone()
            assert response["rows_affected"] == rows_from_the_course_year, (response, rows_from_the_course_year)
            assert rows_from_the_course_year < employee_rows, "the employee's earlier years were recomputed"
    if model == "int_employee_year_outcomes":  # it reads no training: a day of training touches nobody
        assert response["rows_affected"] == 0, response
    assert jp[1][course_year] == jp[0][course_year] + 4, jp
