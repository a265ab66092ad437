"""`generate`: the whole synthetic landing area and its manifest, deterministic for a seed and scale."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tqdm import tqdm

from pembina.synth import assessment, discipline, ekinerja, siasn, training, university
from pembina.synth.careers import simulate
from pembina.synth.defects import DefectLog
from pembina.synth.opd import OpdTable
from pembina.synth.output import Landing
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
    opds = OpdTable.load()
    landing = Landing(out_dir)
    log = DefectLog()
    with tqdm(total=3, desc="pembina synth", file=sys.stderr, disable=not progress or scale < PROGRESS_MIN_SCALE) as bar:
        people = build_people(scale, seed, opds)
        history = simulate(people, opds, seed)
        bar.update()
        for snapshot in history.snapshots:
            rng = stream(seed, f"siasn-{snapshot.date}")
            siasn.write_export(landing, log, people, opds, snapshot, rng, defect_rate)
        bar.update()
        for year in history.years:
            ekinerja.write_appraisals(landing, log, people, opds, year, stream(seed, f"ekinerja-{year.year}"),
                                      defect_rate)  # fmt: skip
            assessment.write_assessments(landing, log, people, year, stream(seed, f"assessment-{year.year}"),
                                         defect_rate)  # fmt: skip
            discipline.write_register(landing, log, people, history.sanctions, year.year,
                                      stream(seed, f"discipline-{year.year}"), defect_rate)  # fmt: skip
            training.write_vendor_files(landing, log, people, opds, year, stream(seed, f"training-{year.year}"),
                                        defect_rate)  # fmt: skip
            university.write_reports(landing, log, people, history.programmes, year.year,
                                     stream(seed, f"university-{year.year}"), defect_rate)  # fmt: skip
        bar.update()
    manifest = {
        "seed": seed,
        "scale": scale,
        "defect_rate": defect_rate,
        "generated_files": sorted(landing.generated_files, key=lambda entry: entry["path"]),
        "defects": sorted(log.defects, key=lambda d: (d["source"], d["file"], d["row_number"])),
        "file_defects": log.file_defects,
        "defect_counts": log.counts(),
    }
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest
