"""`generate`: the whole synthetic landing area and its manifest, deterministic for a seed and scale."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tqdm import tqdm

from pembina.synth import assessment, discipline, ekinerja, forum, inovasi, lapor, siasn, skm, training, university
from pembina.synth.careers import SNAPSHOT_DATES, World, simulate
from pembina.synth.defects import DefectLog
from pembina.synth.opd import OpdTable
from pembina.synth.output import Landing, Sink
from pembina.synth.population import build_people
from pembina.synth.rng import stream

MANIFEST_NAME = "synth_manifest.json"
DEFAULT_SCALE = 6000
DEFAULT_SEED = 20261127
DEFAULT_DEFECT_RATE = 0.01
PROGRESS_MIN_SCALE = 20_000  # smaller runs finish in a few seconds


def generate(
    out_dir: Path,
    scale: int = DEFAULT_SCALE,
    seed: int = DEFAULT_SEED,
    progress: bool = True,
    defect_rate: float = DEFAULT_DEFECT_RATE,
) -> dict:
    """Write ``out_dir/landing/...`` (docs/sources.md) and ``out_dir/synth_manifest.json``; return the manifest.

    About ``scale`` employees; ``defect_rate`` is the share of rows per file that break one contract rule.
    """
    out_dir = Path(out_dir)
    sink = Sink(Landing(out_dir), DefectLog(), defect_rate)
    year_writers = (
        ("ekinerja", ekinerja.write_appraisals),
        ("assessment", assessment.write_assessments),
        ("discipline", discipline.write_register),
        ("training", training.write_vendor_files),
        ("university", university.write_reports),
        ("skm", skm.write_forms),
        ("lapor", lapor.write_complaints),
    )
    steps = 3 + len(SNAPSHOT_DATES) + len(year_writers) * (university.LAST_YEAR - university.FIRST_YEAR + 1)
    show_progress = progress and scale >= PROGRESS_MIN_SCALE
    with tqdm(total=steps, desc="pembina synth", file=sys.stderr, disable=not show_progress) as bar:
        opds = OpdTable.load()
        people = build_people(scale, seed, opds)
        bar.update()
        world = World(people, opds, simulate(people, opds, seed))
        bar.update()
        for snapshot in world.history.snapshots:
            siasn.write_export(sink, world, snapshot, stream(seed, f"siasn-{snapshot.date}"))
            bar.update()
        for year in world.history.years:
            for name, write in year_writers:
                write(sink, world, year, stream(seed, f"{name}-{year.year}"))
                bar.update()
        forums = forum.write_workbooks(sink, world, stream(seed, "forum"))
        inovasi.write_registers(sink, world, forums, stream(seed, "inovasi"))
        bar.update()
    manifest = {
        "seed": seed,
        "scale": scale,
        "defect_rate": defect_rate,
        "generated_files": sorted(sink.landing.generated_files, key=lambda entry: entry["path"]),
        "defects": sorted(sink.log.defects, key=lambda d: (d["source"], d["file"], d["row_number"])),
        "file_defects": sink.log.file_defects,
        "defect_counts": sink.log.counts(),
    }
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest
