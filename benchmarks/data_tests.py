"""Where dbt's data tests spend their time, by layer: the README's table of data-test timings, from dbt's own
artifacts rather than summed by hand.

    .venv/bin/python benchmarks/data_tests.py "<run>=<target folder>" ["<run>=<target folder>" ...]

Each target folder holds the `run_results.json` and `manifest.json` of one `dbt test` (or `dbt build`, whose
models are left out), e.g. a command run with `--target-path`. Per run it prints a Markdown row: the data tests
that ran (unit tests are not data tests), then per layer their number and the sum of their `execution_time`
(4 threads run them side by side, so the sums exceed the wall time), then dbt's `elapsed_time`. A test
belongs to the layer of what it tests: the folder under `models/` of its model, `staging` for a source's,
`seeds` or `snapshots`; a singular test that reads several layers to the last of them in `LAYERS` order.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

LAYERS = ("staging", "intermediate", "marts", "identity")  # upstream first
LABELS = {"staging": "sources + staging"}


def layer_of(test: dict, nodes: dict) -> str:
    layers = set()
    for parent in test["depends_on"]["nodes"]:
        if parent.startswith("source."):
            layers.add("staging")
        elif parent in nodes:
            node, path = nodes[parent], Path(nodes[parent]["original_file_path"]).parts
            layers.add(path[1] if node["resource_type"] == "model" and len(path) > 2 else node["resource_type"] + "s")
    known = [layer for layer in LAYERS if layer in layers]
    return known[-1] if known else min(layers, default="other")


def timings(target: Path) -> tuple[Counter, Counter, float]:
    """Per layer the data tests that ran and their summed seconds, and dbt's elapsed seconds."""
    results = json.loads((target / "run_results.json").read_text())
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    counts, seconds = Counter(), Counter()
    for result in results["results"]:
        node = nodes.get(result["unique_id"])
        if node is None or node["resource_type"] != "test":
            continue
        layer = layer_of(node, nodes)
        counts[layer] += 1
        seconds[layer] += result["execution_time"]
    return counts, seconds, results["elapsed_time"]


def table(runs: list[tuple[str, Path]]) -> str:
    measured = [(name, *timings(target)) for name, target in runs]
    layers = [layer for layer in LAYERS if any(counts[layer] for _, counts, _, _ in measured)]
    layers += sorted({layer for _, counts, _, _ in measured for layer in counts} - set(layers))
    lines = [
        "| run | tests | " + " | ".join(LABELS.get(layer, layer) for layer in layers) + " | dbt wall |",
        "|---" * (len(layers) + 3) + "|",
    ]
    for name, counts, seconds, elapsed in measured:
        cells = [f"{counts[layer]} test{'s' * (counts[layer] != 1)}, {seconds[layer]:.1f} s" for layer in layers]
        lines.append(f"| {name} | {sum(counts.values())} | " + " | ".join(cells) + f" | {elapsed:.0f} s |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+", metavar="RUN=TARGET", help="a row's name and its dbt target folder")
    args = parser.parse_args()
    runs = []
    for run in args.runs:
        name, separator, target = run.rpartition("=")
        if not separator:
            parser.error(f"{run}: give <run>=<target folder>")
        runs.append((name, Path(target)))
    print(table(runs))


if __name__ == "__main__":
    main()
