"""Fixtures for the ingest tests of the sources other than SIASN."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def defect_rich_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic sources with many defects (30% of rows), large enough that every rule of every mapped
    source is injected at least once (the default 1% leaves the small university files clean)."""
    from pembina.synth import generate

    out = tmp_path_factory.mktemp("synth_defects")
    generate(out, scale=1500, seed=11, progress=False, defect_rate=0.3)
    return out
