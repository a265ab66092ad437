"""The OPD reference list (``dbt_project/seeds/ref_opd.csv``) and how the generator staffs each OPD."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pembina.settings import PROJECT_ROOT
from pembina.synth.dates import days

REF_OPD_PATH = PROJECT_ROOT / "dbt_project" / "seeds" / "ref_opd.csv"
RESTRUCTURING_DATE = np.datetime64("2025-01-01")
# Employees are re-assigned to the new organisation the first working day after it starts.
RESTRUCTURING_APPOINTMENT = np.datetime64("2025-01-02")


@dataclass(frozen=True)
class OpdProfile:
    weight: float  # relative headcount
    workforce: str  # key of jobs.WORKFORCE
    quarterly_skp: bool = False  # the OPD also runs quarterly (TW1-TW4) SKP evaluations


DISTRIK_CODES = (
    "DST-MNKBARAT", "DST-MNKTIMUR", "DST-MNKUTARA", "DST-MNKSELATAN", "DST-WARMARE", "DST-PRAFI", "DST-MASNI",
    "DST-SIDEY", "DST-TANAHRUBUH", "DST-AIMASI", "DST-MOKWAM", "DST-MORUJMEGA", "DST-WASIRAWI", "DST-MASNIUTARA",
)  # fmt: skip
PROFILES = {
    "OPD-SETDA": OpdProfile(4.0, "general"),
    "OPD-SETDPRK": OpdProfile(1.5, "general"),
    "OPD-INSPEKTORAT": OpdProfile(1.5, "inspectorate", quarterly_skp=True),
    "OPD-DISDIK": OpdProfile(30.0, "education"),
    "OPD-DINKES": OpdProfile(10.0, "health"),
    "OPD-RSUD": OpdProfile(8.0, "hospital", quarterly_skp=True),
    "OPD-PUPR": OpdProfile(2.5, "general"),
    "OPD-DISHUB": OpdProfile(1.2, "general"),
    "OPD-PUPRHUB": OpdProfile(3.5, "general"),
    "OPD-DISTANKP": OpdProfile(3.5, "agriculture"),
    "OPD-DINSOS": OpdProfile(1.2, "general"),
    "OPD-DISPERINDAG": OpdProfile(1.0, "general"),
    "OPD-DUKCAPIL": OpdProfile(1.5, "general"),
    "OPD-DLH": OpdProfile(1.5, "general"),
    "OPD-DPMPTSP": OpdProfile(1.0, "general"),
    "OPD-DISKOMINFO": OpdProfile(1.0, "general"),
    "OPD-DISPARBUD": OpdProfile(1.0, "general"),
    "OPD-DISPERKIM": OpdProfile(1.0, "general"),
    "OPD-DP3AKB": OpdProfile(1.2, "general"),
    "OPD-DPMK": OpdProfile(1.2, "general"),
    "OPD-SATPOLPP-DAMKAR": OpdProfile(3.0, "public_order_fire"),
    "OPD-SATPOLPP": OpdProfile(2.0, "public_order"),
    "OPD-DAMKAR": OpdProfile(1.0, "fire"),
    "OPD-BKPSDM": OpdProfile(1.5, "human_resources", quarterly_skp=True),
    "OPD-BAPPEDA-LITBANG": OpdProfile(1.5, "planning_research"),
    "OPD-BAPPEDA": OpdProfile(1.0, "planning"),
    "OPD-BRIDA": OpdProfile(0.5, "research", quarterly_skp=True),
    "OPD-BPKAD": OpdProfile(2.0, "general", quarterly_skp=True),
    "OPD-BAPENDA": OpdProfile(1.5, "general"),
    "OPD-BPBD": OpdProfile(1.0, "general"),
    "OPD-KESBANGPOL": OpdProfile(0.8, "general"),
    **dict.fromkeys(DISTRIK_CODES, OpdProfile(0.6, "distrik")),
}

# The 2025 restructuring (domain.md §9): where the staff of each affected OPD go on RESTRUCTURING_DATE.
# (successor, share); a family listed in FAMILY_SUCCESSORS always goes to its own successor.
SUCCESSORS = {
    "OPD-BAPPEDA-LITBANG": (("OPD-BAPPEDA", 0.7), ("OPD-BRIDA", 0.3)),
    "OPD-SATPOLPP-DAMKAR": (("OPD-SATPOLPP", 0.65), ("OPD-DAMKAR", 0.35)),
    "OPD-PUPR": (("OPD-PUPRHUB", 1.0),),
    "OPD-DISHUB": (("OPD-PUPRHUB", 1.0),),
    # the five distrik formed in 2025 take part of the staff of the distrik they were split from
    "DST-MASNI": (("DST-MASNI", 0.6), ("DST-MASNIUTARA", 0.2), ("DST-WASIRAWI", 0.2)),
    "DST-PRAFI": (("DST-PRAFI", 0.7), ("DST-AIMASI", 0.3)),
    "DST-WARMARE": (("DST-WARMARE", 0.7), ("DST-MOKWAM", 0.3)),
    "DST-SIDEY": (("DST-SIDEY", 0.7), ("DST-MORUJMEGA", 0.3)),
}
FAMILY_SUCCESSORS = {
    ("OPD-BAPPEDA-LITBANG", "perencana"): "OPD-BAPPEDA",
    ("OPD-BAPPEDA-LITBANG", "peneliti"): "OPD-BRIDA",
    ("OPD-SATPOLPP-DAMKAR", "satpol"): "OPD-SATPOLPP",
    ("OPD-SATPOLPP-DAMKAR", "damkar"): "OPD-DAMKAR",
}


@dataclass(frozen=True)
class OpdTable:
    codes: tuple[str, ...]
    names: tuple[str, ...]
    types: tuple[str, ...]
    valid_from: np.ndarray  # datetime64[D]
    valid_to: np.ndarray  # datetime64[D], NaT when open-ended
    profiles: tuple[OpdProfile, ...]

    @classmethod
    def load(cls, path: Path = REF_OPD_PATH) -> OpdTable:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        missing = sorted({row["opd_code"] for row in rows} - PROFILES.keys())
        if missing:
            raise ValueError(f"{path} lists OPDs the generator has no staffing profile for: {missing}")
        return cls(
            codes=tuple(row["opd_code"] for row in rows),
            names=tuple(row["opd_name"] for row in rows),
            types=tuple(row["opd_type"] for row in rows),
            valid_from=days([row["valid_from"] for row in rows]),
            valid_to=days([row["valid_to"] or "NaT" for row in rows]),
            profiles=tuple(PROFILES[row["opd_code"]] for row in rows),
        )

    def structure(self, index: int) -> str:
        """Which set of structural posts the OPD has (see jobs.structural_posts)."""
        special = {"OPD-SETDA": "setda", "OPD-SETDPRK": "setdprk"}
        return special.get(self.codes[index], self.types[index])

    def index(self, code: str) -> int:
        return self.codes.index(code)

    def valid_on(self, date: np.datetime64) -> np.ndarray:
        """Boolean mask of the OPDs that exist on ``date``."""
        return (self.valid_from <= date) & (np.isnat(self.valid_to) | (self.valid_to >= date))

    def weights_on(self, date: np.datetime64) -> np.ndarray:
        weights = np.array([profile.weight for profile in self.profiles])
        return np.where(self.valid_on(date), weights, 0.0)
