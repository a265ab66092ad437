"""pembina-dbt's queue (pembina.dbt_scheduler) on small graphs, taken the way dbt's main loop takes nodes."""

import json
import subprocess
import threading
from types import SimpleNamespace

import networkx as nx
import pytest
from dbt.graph.queue import GraphQueue

from pembina.dbt_scheduler import (
    CriticalPathQueue,
    keep_node_seconds,
    read_node_seconds,
    seconds_ahead,
    timed_nodes,
)

# Two chains from two staging models: a short one whose staging name sorts first, and a long one.
SHORT_STAGING, SHALLOW_MART = "model.p.a_stg_short", "model.p.mart_shallow"
LONG_STAGING, LONG_FACT = "model.p.b_stg_long", "model.p.fct_long"
SECONDS = {SHORT_STAGING: 1.0, SHALLOW_MART: 1.0, LONG_STAGING: 10.0, LONG_FACT: 50.0}


class Nodes:
    """What GraphQueue asks of dbt's manifest: the node of a unique id."""

    def expect(self, unique_id):
        return SimpleNamespace(unique_id=unique_id)


def graph() -> nx.DiGraph:
    return nx.DiGraph([(SHORT_STAGING, SHALLOW_MART), (LONG_STAGING, LONG_FACT)])


def queue(monkeypatch, kind, threads=None, node_seconds=SECONDS, reference_seconds=None):
    """A queue of ``kind`` over graph(), CriticalPathQueue's kept times being ``node_seconds`` and its reference
    times ``reference_seconds`` (none by default)."""
    monkeypatch.setattr(CriticalPathQueue, "node_seconds", node_seconds)
    monkeypatch.setattr(CriticalPathQueue, "reference_seconds", reference_seconds or {})
    built = kind(graph(), Nodes(), set(graph().nodes))
    if threads is not None:
        built.threads = threads
    return built


def order_on_one_thread(job_queue) -> list[str]:
    taken = []
    while not job_queue.empty():
        node = job_queue.get().unique_id
        taken.append(node)
        job_queue.mark_done(node)
    return taken


def test_the_seconds_ahead_are_a_nodes_own_and_its_longest_line_of_descendants():
    ahead = seconds_ahead(nx.DiGraph([("a", "b"), ("b", "c"), ("a", "d")]), {"a": 10, "b": 20, "c": 5, "d": 1})
    assert ahead == {"a": 35, "b": 25, "c": 5, "d": 1}


def test_a_node_without_a_kept_time_counts_as_the_median_of_its_resource_type():
    kept = {"model.p.x": 2.0, "model.p.y": 4.0, "model.p.z": 30.0, "test.p.t": 0.5}
    ahead = seconds_ahead(nx.DiGraph([("model.p.new", "test.p.new_test")]), kept)
    assert ahead == {"model.p.new": 4.5, "test.p.new_test": 0.5}
    assert seconds_ahead(nx.DiGraph([("seed.p.s", "model.p.x")]), kept)["seed.p.s"] == 2.0  # no seed time: 0


def test_the_long_chain_goes_first_where_dbt_takes_the_shallow_name_first(monkeypatch):
    assert order_on_one_thread(queue(monkeypatch, GraphQueue)) == [
        SHORT_STAGING, LONG_STAGING, LONG_FACT, SHALLOW_MART  # depth, then name
    ]  # fmt: skip
    assert order_on_one_thread(queue(monkeypatch, CriticalPathQueue, threads=1)) == [
        LONG_STAGING, LONG_FACT, SHORT_STAGING, SHALLOW_MART
    ]  # fmt: skip


def test_without_a_kept_time_for_any_of_its_nodes_the_queue_is_dbts(monkeypatch, capsys):
    seeds_only = {"seed.p.ref_table": 0.4}
    job_queue = queue(monkeypatch, CriticalPathQueue, node_seconds=seeds_only)
    assert not job_queue.timed
    assert "pembina-dbt: 0 of 4 nodes with a kept run time: dbt's own order" in capsys.readouterr().err
    assert order_on_one_thread(job_queue) == order_on_one_thread(queue(monkeypatch, GraphQueue))


def test_a_first_build_takes_the_critical_path_order_from_the_reference_times(monkeypatch, capsys):
    job_queue = queue(monkeypatch, CriticalPathQueue, threads=1, node_seconds={}, reference_seconds=SECONDS)
    assert "pembina-dbt: 0 of 4 nodes with a kept run time, 4 more with a reference time: the critical-path order" in (
        capsys.readouterr().err
    )
    assert order_on_one_thread(job_queue) == [LONG_STAGING, LONG_FACT, SHORT_STAGING, SHALLOW_MART]


def test_a_kept_time_wins_over_the_reference_time(monkeypatch, capsys):
    # the reference has the short chain long; the times this warehouse kept say otherwise
    reference = {**SECONDS, SHORT_STAGING: 100.0}
    job_queue = queue(monkeypatch, CriticalPathQueue, threads=1, node_seconds=SECONDS, reference_seconds=reference)
    assert "pembina-dbt: 4 of 4 nodes with a kept run time: the critical-path order" in capsys.readouterr().err
    assert order_on_one_thread(job_queue) == [LONG_STAGING, LONG_FACT, SHORT_STAGING, SHALLOW_MART]
    only_reference = queue(monkeypatch, CriticalPathQueue, threads=1, node_seconds={}, reference_seconds=reference)
    assert order_on_one_thread(only_reference)[0] == SHORT_STAGING


def test_the_reference_times_are_of_this_projects_models_tests_and_snapshots():
    from pembina.dbt_scheduler import REFERENCE_NODE_SECONDS
    from pembina.settings import get_settings

    reference = read_node_seconds(REFERENCE_NODE_SECONDS)
    manifest_path = get_settings().dbt_manifest
    assert manifest_path.exists(), "run `pembina prepare` first: the dbt manifest is missing"
    project_nodes = json.loads(manifest_path.read_text())["nodes"]
    models = {node for node in reference if node.startswith(("model.", "snapshot."))}
    # a model renamed or removed since the reference was measured would silently lose its place in the order
    assert models and models <= set(project_nodes)
    assert {"model.pembina.fct_training_participation", "model.pembina.int_training_completion_outcomes"} <= models
    assert not any(node.startswith("seed.") for node in reference)  # seeds run apart, in dbt's own order
    assert all(seconds >= 0 for seconds in reference.values())


def test_a_node_is_taken_only_when_a_thread_is_free(monkeypatch):
    job_queue = queue(monkeypatch, CriticalPathQueue, threads=1)
    first = job_queue.get().unique_id
    taken = []
    waiting = threading.Thread(target=lambda: taken.append(job_queue.get().unique_id), daemon=True)
    waiting.start()
    waiting.join(timeout=0.3)
    assert waiting.is_alive() and taken == []  # the one thread is busy, and a ready node stays in the queue
    job_queue.mark_done(first)
    waiting.join(timeout=5)
    assert taken == [LONG_FACT]  # the best of what was ready when the thread came free, not the oldest


@pytest.mark.parametrize(("node_seconds", "threads"), [(SECONDS, 4), ({"seed.p.ref_table": 0.4}, None)])
def test_dbts_pool_sets_the_threads_a_timed_queue_waits_for(monkeypatch, node_seconds, threads):
    from pembina import dbt_scheduler

    ran = []
    monkeypatch.setattr(dbt_scheduler, "_dbt_run_queue", lambda task, pool: ran.append(pool))
    task = SimpleNamespace(job_queue=queue(monkeypatch, CriticalPathQueue, node_seconds=node_seconds))
    pool = SimpleNamespace(max_threads=4)
    dbt_scheduler._run_queue_with_threads(task, pool)
    assert task.job_queue.threads == threads and ran == [pool]


def test_the_run_times_kept_merge_with_earlier_ones(tmp_path):
    kept = tmp_path / "dbt" / "node_seconds" / "pembina.json"
    keep_node_seconds(kept, {LONG_FACT: 50.0, SHORT_STAGING: 1.0})
    keep_node_seconds(kept, {LONG_FACT: 40.1234})
    assert read_node_seconds(kept) == {LONG_FACT: 40.123, SHORT_STAGING: 1.0}
    assert [path.name for path in kept.parent.iterdir()] == ["pembina.json"]  # no partial file left


@pytest.mark.parametrize("content", ["{not json", '{"nodes": ["a list"]}', '{"other": {}}'])
def test_unreadable_run_times_leave_the_order_to_dbt_and_say_so(tmp_path, capsys, content):
    kept = tmp_path / "pembina.json"
    kept.write_text(content)
    assert read_node_seconds(kept) == {}
    assert f"ignoring the run times in {kept}" in capsys.readouterr().err
    assert read_node_seconds(tmp_path / "missing.json") == {}


def test_only_nodes_that_ran_to_an_outcome_are_timed():
    def result(unique_id, status, seconds):
        return SimpleNamespace(node=SimpleNamespace(unique_id=unique_id), status=status, execution_time=seconds)

    outcome = SimpleNamespace(
        results=[
            result("model.p.built", "success", 12.5),
            result("test.p.failed_rows", "fail", 2.0),
            result("test.p.warned", "warn", 1.0),
            result("model.p.broken", "error", 0.4),
            result("model.p.after_broken", "skipped", 0.0),
            result("operation.p.p-on-run-end-0", "success", 0.01),
        ]
    )
    assert timed_nodes(outcome) == {"model.p.built": 12.5, "test.p.failed_rows": 2.0, "test.p.warned": 1.0}
    assert timed_nodes(None) == {}


def test_pembina_dbt_answers_as_dbt_does():
    from pembina.runtime import DBT_EXECUTABLE

    version = subprocess.run([DBT_EXECUTABLE, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "installed:" in version.stdout
    unknown = subprocess.run([DBT_EXECUTABLE, "frobnicate"], capture_output=True, text=True)
    assert unknown.returncode == 2
    assert "pembina-dbt: dbt stopped: No such command 'frobnicate'" in unknown.stderr
