"""`pembina-dbt`: dbt, with its queue ordered by the run times ahead of each node.

dbt ranks the nodes that are ready to run by their depth in the graph (ties by name) and hands every ready node
to its thread pool at once, first come first served. In a full build of this project the longest chain (the
training participation models, staging to mart) then waits behind staging models whose names sort first and
behind shallow marts that became ready a moment earlier. Here a ready node
goes to a thread only when one is free, and the one that goes is the one with the longest path of run times
ahead of it: its own time and that of its longest line of descendants (the critical-path rule of list
scheduling; ninja orders its builds the same way from its build log).

The run times are those of each node's last run that ended in success, pass, warn or fail, kept per warehouse
database in ``<data dir>/dbt/node_seconds/<database>.json`` by this command. A node with no kept time takes its
time in a reference full build at 600,000 ASN (``dbt_node_seconds_reference.json`` beside this module), so that a
warehouse's first build is ordered too; a node with neither counts as the median of its resource type. With no
time for any node a command runs (the seeds have no reference time), dbt orders its queue as it always does and
this command only keeps the times. The order is told on standard error (one line); anything else is dbt's:
arguments, output, artifacts, exit codes."""

from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path
from typing import ClassVar

import networkx as nx
from dbt.cli.main import dbtRunner
from dbt.graph import selector
from dbt.graph.queue import GraphQueue
from dbt.task.runnable import GraphRunnableTask

from pembina.settings import WAREHOUSE_DB, Settings

TIMED_STATUSES = {"success", "pass", "warn", "fail"}
REFERENCE_NODE_SECONDS = Path(__file__).with_name("dbt_node_seconds_reference.json")


def node_seconds_file(database: str | None = None) -> Path:
    """Where the run times of the nodes built in ``database`` are kept (by default the database dbt's profile
    builds in, from the environment ``pembina.db.dbt_env`` gives it). Only the data folder is read of the
    settings: the secrets are checked by whatever started dbt (the DAG, a `pembina` command)."""
    database = database or os.environ.get("PEMBINA_PG_DATABASE") or WAREHOUSE_DB
    return Settings.from_env().data_dir / "dbt" / "node_seconds" / f"{database}.json"


def read_node_seconds(path: Path) -> dict[str, float]:
    """The kept run times by unique id; none when the file is missing or unreadable (then dbt orders its
    queue itself, and the next run writes the file again)."""
    try:
        return {str(node): float(seconds) for node, seconds in json.loads(path.read_text())["nodes"].items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as problem:
        print(f"pembina-dbt: ignoring the run times in {path} ({problem}); dbt orders this run", file=sys.stderr)
        return {}


def keep_node_seconds(path: Path, measured: dict[str, float]) -> None:
    """Merges ``measured`` into the kept run times (nodes this run did not time keep theirs)."""
    if not measured:
        return
    kept = {**read_node_seconds(path), **{node: round(seconds, 3) for node, seconds in measured.items()}}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps({"nodes": dict(sorted(kept.items()))}, indent=1) + "\n")
    partial.replace(path)  # atomic: a concurrent run reads the old file or the new one


def seconds_ahead(graph: nx.DiGraph, node_seconds: dict[str, float]) -> dict[str, float]:
    """For each node of ``graph``, its run time plus the longest run time of a path through its descendants.
    A node without a kept time counts as the median of the kept times of its resource type (0 without any)."""

    def resource_type(node: str) -> str:
        return node.split(".", 1)[0]

    by_type: dict[str, list[float]] = {}
    for node, seconds in node_seconds.items():
        by_type.setdefault(resource_type(node), []).append(seconds)
    typical = {kind: statistics.median(times) for kind, times in by_type.items()}
    ahead: dict[str, float] = {}
    for node in reversed(list(nx.topological_sort(graph))):
        own = node_seconds.get(node, typical.get(resource_type(node), 0.0))
        ahead[node] = own + max((ahead[child] for child in graph.successors(node)), default=0.0)
    return ahead


class CriticalPathQueue(GraphQueue):
    """dbt's GraphQueue with the critical-path order: lower scores go first, so a node's score is minus its
    seconds ahead; ``get`` waits for a free thread (``threads``, set once dbt's pool exists) before it takes
    the best ready node. The kept times (``node_seconds``) win over the reference ones (``reference_seconds``);
    when no node of the graph has either, it is dbt's own queue."""

    node_seconds: ClassVar[dict[str, float]] = {}
    reference_seconds: ClassVar[dict[str, float]] = {}

    def __init__(self, graph: nx.DiGraph, *arguments, **keywords):
        kept = sum(node in self.node_seconds for node in graph)
        referenced = sum(node in self.reference_seconds and node not in self.node_seconds for node in graph)
        self.timed = kept + referenced > 0
        self.threads: int | None = None
        super().__init__(graph, *arguments, **keywords)
        order = "the critical-path order" if self.timed else "dbt's own order"
        reference = f", {referenced} more with a reference time" if referenced else ""
        print(f"pembina-dbt: {kept} of {len(graph)} nodes with a kept run time{reference}: {order}", file=sys.stderr)

    def _get_scores(self, graph: nx.DiGraph) -> dict[str, float]:
        if not self.timed:
            return super()._get_scores(graph)
        times = {**self.reference_seconds, **self.node_seconds}
        return {node: -seconds for node, seconds in seconds_ahead(graph, times).items()}

    def get(self, block: bool = True, timeout: float | None = None):
        # Only dbt's main loop takes nodes, so what is ready under the lock stays ready until it takes one; a
        # node's finishing queues all of its children before it notifies, so the best of them is seen.
        with self.lock:
            while self.threads is not None and (self.inner.empty() or len(self.in_progress) >= self.threads):
                self.some_task_done.wait()
        return super().get(block, timeout)


_dbt_run_queue = GraphRunnableTask.run_queue


def _run_queue_with_threads(task: GraphRunnableTask, pool) -> None:
    if isinstance(task.job_queue, CriticalPathQueue) and task.job_queue.timed:
        task.job_queue.threads = pool.max_threads
    _dbt_run_queue(task, pool)


def use_critical_path_order(node_seconds: dict[str, float], reference_seconds: dict[str, float] | None = None) -> None:
    """Makes this process's dbt build its queues as CriticalPathQueue, ordered by ``node_seconds``, then by
    ``reference_seconds`` for the nodes without one."""
    CriticalPathQueue.node_seconds = node_seconds
    CriticalPathQueue.reference_seconds = reference_seconds or {}
    selector.GraphQueue = CriticalPathQueue
    GraphRunnableTask.run_queue = _run_queue_with_threads


def timed_nodes(result) -> dict[str, float]:
    """The run time of each node a dbt command ran to an outcome (not skipped, not errored; not the hooks,
    which are no node of the queue)."""
    return {
        node_result.node.unique_id: node_result.execution_time
        for node_result in getattr(result, "results", None) or ()
        if str(node_result.status) in TIMED_STATUSES and not node_result.node.unique_id.startswith("operation.")
    }


def run(arguments: list[str]) -> int:
    kept = node_seconds_file()
    use_critical_path_order(read_node_seconds(kept), read_node_seconds(REFERENCE_NODE_SECONDS))
    outcome = dbtRunner().invoke(arguments)
    try:
        keep_node_seconds(kept, timed_nodes(outcome.result))
    except OSError as problem:  # the build's outcome is dbt's; the next run is ordered without these times
        print(f"pembina-dbt: could not keep the run times in {kept}: {problem}", file=sys.stderr)
    if outcome.exception is not None:
        print(f"pembina-dbt: dbt stopped: {outcome.exception}", file=sys.stderr)
        return 2
    return 0 if outcome.success else 1


def main() -> None:
    sys.exit(run(sys.argv[1:]))
