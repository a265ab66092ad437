"""Job families (who does what in which kind of OPD), their diplomas, and the structural posts of each OPD."""

from __future__ import annotations

from dataclasses import dataclass

from pembina.synth.codes import (
    EDUCATION,
    LEVEL_ADMINISTRATOR,
    LEVEL_JPT,
    LEVEL_PENGAWAS,
)


@dataclass(frozen=True)
class Diploma:
    level: str
    share: float
    programmes: tuple[tuple[str, str], ...]  # (pendidikan_nama, gelar_belakang)


@dataclass(frozen=True)
class JobFamily:
    key: str
    titles: tuple[str, ...]  # one is drawn per person
    diplomas: tuple[Diploma, ...]
    functional: bool  # functional posts have keahlian/keterampilan levels; otherwise pelaksana
    movable: bool  # may be transferred to any OPD
    female_share: float = 0.45
    gelar_depan: str = ""
    starts_one_grade_higher: bool = False  # dokter and apoteker start at III/b


_ADMIN_S1 = (
    ("S-1 Ilmu Administrasi Negara", "S.AP."), ("S-1 Akuntansi", "S.E."), ("S-1 Manajemen", "S.E."),
    ("S-1 Ilmu Hukum", "S.H."), ("S-1 Ilmu Pemerintahan", "S.IP."), ("S-1 Teknik Sipil", "S.T."),
    ("S-1 Teknik Informatika", "S.Kom."), ("S-1 Sosiologi", "S.Sos."), ("S-1 Agribisnis", "S.P."),
    ("S-1 Ilmu Kehutanan", "S.Hut."), ("S-1 Ekonomi Pembangunan", "S.E."),
)  # fmt: skip
_ADMIN_S2 = (
    ("S-2 Magister Administrasi Publik", "M.AP."), ("S-2 Magister Manajemen", "M.M."),
    ("S-2 Ilmu Hukum", "M.H."), ("S-2 Ilmu Lingkungan", "M.Si."), ("S-2 Perencanaan Wilayah", "M.T."),
)  # fmt: skip
_ADMIN_S3 = (("S-3 Ilmu Administrasi", "M.Si."), ("S-3 Ilmu Ekonomi", "M.E."))
_ADMIN_D3 = (
    ("D-III Akuntansi", "A.Md."), ("D-III Manajemen Informatika", "A.Md."),
    ("D-III Administrasi Perkantoran", "A.Md."), ("D-III Teknik Sipil", "A.Md.T."),
)  # fmt: skip
_SLTA = (("SLTA IPA", ""), ("SLTA IPS", ""), ("SMK Akuntansi", ""), ("SMK Administrasi Perkantoran", ""))

FAMILIES = (
    JobFamily("guru", ("Guru",), (
        Diploma("S-1/Sarjana", 0.9, (
            ("S-1 Pendidikan Guru Sekolah Dasar", "S.Pd."), ("S-1 Pendidikan Matematika", "S.Pd."),
            ("S-1 Pendidikan Bahasa Indonesia", "S.Pd."), ("S-1 Pendidikan Biologi", "S.Pd."),
            ("S-1 Pendidikan Bahasa Inggris", "S.Pd."), ("S-1 Pendidikan Jasmani", "S.Pd."),
            ("S-1 Pendidikan Agama Kristen", "S.Pd.K."), ("S-1 Pendidikan Fisika", "S.Pd."))),
        Diploma("S-2", 0.1, (("S-2 Manajemen Pendidikan", "M.Pd."), ("S-2 Pendidikan Matematika", "M.Pd."))),
    ), functional=True, movable=False, female_share=0.62),
    JobFamily("perawat", ("Perawat",), (
        Diploma("D-III", 0.6, (("D-III Keperawatan", "A.Md.Kep."),)),
        Diploma("S-1/Sarjana", 0.4, (("S-1 Keperawatan (Ners)", "S.Kep., Ns."),)),
    ), functional=True, movable=False, female_share=0.7),
    JobFamily("bidan", ("Bidan",), (
        Diploma("D-III", 0.7, (("D-III Kebidanan", "A.Md.Keb."),)),
        Diploma("D-IV", 0.3, (("D-IV Kebidanan", "S.Tr.Keb."),)),
    ), functional=True, movable=False, female_share=1.0),
    JobFamily("dokter", ("Dokter",), (
        Diploma("S-1/Sarjana", 0.85, (("Profesi Dokter", ""),)),
        Diploma("S-2", 0.15, (("S-2 Spesialis Penyakit Dalam", "Sp.PD."), ("S-2 Spesialis Anak", "Sp.A."),
                              ("S-2 Spesialis Obstetri dan Ginekologi", "Sp.OG."))),
    ), functional=True, movable=False, female_share=0.55, gelar_depan="dr.", starts_one_grade_higher=True),
    JobFamily("apoteker", ("Apoteker",), (
        Diploma("S-1/Sarjana", 1.0, (("Profesi Apoteker", "S.Farm., Apt."),)),
    ), functional=True, movable=False, starts_one_grade_higher=True),
    JobFamily("nakes_lain", ("Pranata Laboratorium Kesehatan", "Sanitarian", "Nutrisionis",
                             "Penyuluh Kesehatan Masyarakat", "Epidemiolog Kesehatan"), (
        Diploma("D-III", 0.55, (("D-III Analis Kesehatan", "A.Md.AK."), ("D-III Kesehatan Lingkungan", "A.Md.KL."),
                                ("D-III Gizi", "A.Md.Gz."))),
        Diploma("S-1/Sarjana", 0.45, (("S-1 Kesehatan Masyarakat", "S.K.M."),)),
    ), functional=True, movable=False),
    JobFamily("penyuluh_pertanian", ("Penyuluh Pertanian",), (
        Diploma("SLTA", 0.2, (("SPP Pertanian", ""),)),
        Diploma("D-III", 0.3, (("D-III Penyuluhan Pertanian", "A.Md.P."),)),
        Diploma("S-1/Sarjana", 0.5, (("S-1 Agroteknologi", "S.P."), ("S-1 Peternakan", "S.Pt."))),
    ), functional=True, movable=False),
    JobFamily("auditor", ("Auditor", "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah"), (
        Diploma("S-1/Sarjana", 0.8, (("S-1 Akuntansi", "S.Ak."), ("S-1 Ilmu Hukum", "S.H."))),
        Diploma("S-2", 0.2, (("S-2 Magister Akuntansi", "M.Ak."),)),
    ), functional=True, movable=False),
    JobFamily("perencana", ("Perencana",), (
        Diploma("S-1/Sarjana", 0.7, (("S-1 Perencanaan Wilayah dan Kota", "S.PWK."),
                                     ("S-1 Ekonomi Pembangunan", "S.E."))),
        Diploma("S-2", 0.3, (("S-2 Perencanaan Wilayah", "M.T."), ("S-2 Ekonomi Pembangunan", "M.E."))),
    ), functional=True, movable=False),
    JobFamily("peneliti", ("Peneliti", "Perekayasa"), (
        Diploma("S-1/Sarjana", 0.4, (("S-1 Biologi", "S.Si."), ("S-1 Ilmu Kehutanan", "S.Hut."))),
        Diploma("S-2", 0.6, (("S-2 Ilmu Lingkungan", "M.Si."), ("S-2 Ilmu Kehutanan", "M.Hut."))),
    ), functional=True, movable=False),
    JobFamily("satpol", ("Polisi Pamong Praja",), (
        Diploma("SLTA", 0.75, _SLTA),
        Diploma("S-1/Sarjana", 0.25, (("S-1 Ilmu Hukum", "S.H."), ("S-1 Ilmu Pemerintahan", "S.IP."))),
    ), functional=True, movable=False, female_share=0.2),
    JobFamily("damkar", ("Pemadam Kebakaran",), (
        Diploma("SLTA", 1.0, _SLTA),
    ), functional=True, movable=False, female_share=0.1),
    JobFamily("analis_sdm", ("Analis Sumber Daya Manusia Aparatur", "Asesor Sumber Daya Manusia Aparatur"), (
        Diploma("S-1/Sarjana", 0.8, (("S-1 Psikologi", "S.Psi."), ("S-1 Ilmu Administrasi Negara", "S.AP."))),
        Diploma("S-2", 0.2, (("S-2 Psikologi Profesi", "M.Psi."),)),
    ), functional=True, movable=True),
    JobFamily("fungsional_umum", ("Pranata Komputer", "Arsiparis", "Analis Kebijakan", "Pustakawan",
                                  "Pengelola Pengadaan Barang/Jasa", "Pranata Hubungan Masyarakat", "Statistisi"), (
        Diploma("D-III", 0.3, _ADMIN_D3),
        Diploma("S-1/Sarjana", 0.6, _ADMIN_S1),
        Diploma("S-2", 0.1, _ADMIN_S2),
    ), functional=True, movable=True),
    JobFamily("pelaksana", ("Pengadministrasi Perkantoran", "Pengolah Data dan Informasi", "Pengelola Keuangan",
                            "Pengadministrasi Keuangan", "Pengelola Barang Milik Daerah", "Penata Layanan Operasional",
                            "Pengelola Layanan Operasional", "Pengadministrasi Kepegawaian"), (
        Diploma("SD", 0.01, (("SD", ""),)),
        Diploma("SLTP", 0.04, (("SLTP", ""),)),
        Diploma("SLTA", 0.42, _SLTA),
        Diploma("D-III", 0.13, _ADMIN_D3),
        Diploma("S-1/Sarjana", 0.36, _ADMIN_S1),
        Diploma("S-2", 0.04, _ADMIN_S2),
    ), functional=False, movable=True),
    JobFamily("pelaksana_paruh_waktu", ("Operator Layanan Operasional", "Pengelola Layanan Operasional",
                                        "Penata Layanan Operasional"), (
        Diploma("SLTA", 0.6, _SLTA),
        Diploma("D-III", 0.15, _ADMIN_D3),
        Diploma("S-1/Sarjana", 0.25, _ADMIN_S1),
    ), functional=False, movable=False),
    # People who are given structural posts (the track is chosen at run time); their own title is the
    # fungsional post they hold while no structural post is free for them.
    JobFamily("struktural", ("Analis Kebijakan",), (
        Diploma("S-1/Sarjana", 0.6, _ADMIN_S1),
        Diploma("S-2", 0.37, _ADMIN_S2),
        Diploma("S-3", 0.03, _ADMIN_S3),
    ), functional=True, movable=True, female_share=0.35),
)  # fmt: skip
FAMILY_INDEX = {family.key: index for index, family in enumerate(FAMILIES)}
STRUCTURAL_FAMILY = FAMILY_INDEX["struktural"]
# Families from which vacant structural posts are filled (senior PNS with at least S-1).
STRUCTURAL_CANDIDATE_FAMILIES = tuple(
    FAMILY_INDEX[key] for key in ("pelaksana", "fungsional_umum", "analis_sdm", "perencana", "auditor")
)
MIN_STRUCTURAL_EDUCATION = EDUCATION["S-1/Sarjana"]


def first_degree_gelar(rng, family: JobFamily) -> str:
    """The S-1 (or D-IV) title a holder of a higher degree in this family carries before it."""
    first_degrees = [d for d in family.diplomas if d.level in ("S-1/Sarjana", "D-IV")]
    programmes = first_degrees[0].programmes if first_degrees else _ADMIN_S1
    return programmes[rng.integers(len(programmes))][1]


# Family shares per OPD workforce profile: (PNS and CPNS, PPPK penuh waktu).
WORKFORCE = {
    "education": ({"guru": 0.86, "pelaksana": 0.10, "fungsional_umum": 0.04}, {"guru": 0.92, "pelaksana": 0.08}),
    "health": (
        {"perawat": 0.22, "bidan": 0.18, "dokter": 0.06, "nakes_lain": 0.14, "pelaksana": 0.30,
         "fungsional_umum": 0.10},
        {"perawat": 0.4, "bidan": 0.3, "nakes_lain": 0.2, "pelaksana": 0.1},
    ),
    "hospital": (
        {"perawat": 0.38, "bidan": 0.12, "dokter": 0.10, "apoteker": 0.03, "nakes_lain": 0.12, "pelaksana": 0.20,
         "fungsional_umum": 0.05},
        {"perawat": 0.5, "bidan": 0.2, "dokter": 0.05, "nakes_lain": 0.15, "pelaksana": 0.1},
    ),
    "agriculture": ({"penyuluh_pertanian": 0.45, "pelaksana": 0.40, "fungsional_umum": 0.15},
                    {"penyuluh_pertanian": 0.7, "pelaksana": 0.3}),
    "inspectorate": ({"auditor": 0.55, "pelaksana": 0.35, "fungsional_umum": 0.10}, {"auditor": 0.5, "pelaksana": 0.5}),
    "public_order_fire": ({"satpol": 0.40, "damkar": 0.30, "pelaksana": 0.25, "fungsional_umum": 0.05},
                          {"satpol": 0.5, "damkar": 0.3, "pelaksana": 0.2}),
    "public_order": ({"satpol": 0.65, "pelaksana": 0.30, "fungsional_umum": 0.05}, {"satpol": 0.7, "pelaksana": 0.3}),
    "fire": ({"damkar": 0.65, "pelaksana": 0.30, "fungsional_umum": 0.05}, {"damkar": 0.7, "pelaksana": 0.3}),
    "planning_research": ({"perencana": 0.30, "peneliti": 0.15, "pelaksana": 0.40, "fungsional_umum": 0.15},
                          {"pelaksana": 0.6, "fungsional_umum": 0.4}),
    "planning": ({"perencana": 0.40, "pelaksana": 0.45, "fungsional_umum": 0.15},
                 {"pelaksana": 0.6, "fungsional_umum": 0.4}),
    "research": ({"peneliti": 0.45, "pelaksana": 0.40, "fungsional_umum": 0.15},
                 {"pelaksana": 0.6, "fungsional_umum": 0.4}),
    "human_resources": ({"analis_sdm": 0.35, "pelaksana": 0.50, "fungsional_umum": 0.15},
                        {"pelaksana": 0.6, "fungsional_umum": 0.4}),
    "general": ({"pelaksana": 0.75, "fungsional_umum": 0.25}, {"pelaksana": 0.6, "fungsional_umum": 0.4}),
    "distrik": ({"pelaksana": 0.85, "fungsional_umum": 0.15}, {"pelaksana": 0.8, "fungsional_umum": 0.2}),
}  # fmt: skip

_BIDANG = ("Perencanaan dan Program", "Pelayanan", "Pembinaan dan Pengembangan", "Pengendalian dan Evaluasi")
_SEKSI = ("Pelayanan Umum", "Data dan Informasi", "Pengembangan", "Pengawasan", "Monitoring dan Evaluasi",
          "Sarana dan Prasarana")  # fmt: skip
_SUBBAGIAN = ("Umum dan Kepegawaian", "Keuangan dan Aset", "Perencanaan")
_BAGIAN_SETDA = ("Pemerintahan", "Hukum", "Kesejahteraan Rakyat", "Perekonomian", "Administrasi Pembangunan",
                 "Pengadaan Barang dan Jasa", "Organisasi", "Umum")  # fmt: skip


def structural_posts(structure: str, opd_name: str) -> tuple[tuple[str, str], ...]:
    """The structural posts of one OPD, most senior first: (jabatan_nama, level)."""
    kasubbag = tuple((f"Kepala Sub Bagian {name}", LEVEL_PENGAWAS) for name in _SUBBAGIAN)
    if structure == "setda":
        return (
            ("Sekretaris Daerah", LEVEL_JPT),
            ("Asisten Pemerintahan dan Kesejahteraan Rakyat", LEVEL_JPT),
            ("Asisten Perekonomian dan Pembangunan", LEVEL_JPT),
            ("Asisten Administrasi Umum", LEVEL_JPT),
            *((f"Kepala Bagian {name}", LEVEL_ADMINISTRATOR) for name in _BAGIAN_SETDA),
            *((f"Kepala Sub Bagian {name} {part}", LEVEL_PENGAWAS) for name in _BAGIAN_SETDA[:5] for part in "IB"),
        )
    if structure == "setdprk":
        return (
            ("Sekretaris DPRK", LEVEL_JPT),
            *((f"Kepala Bagian {name}", LEVEL_ADMINISTRATOR) for name in ("Umum", "Persidangan", "Keuangan")),
            *kasubbag,
        )
    if structure == "inspektorat":
        return (
            ("Inspektur", LEVEL_JPT),
            ("Sekretaris Inspektorat", LEVEL_ADMINISTRATOR),
            *((f"Inspektur Pembantu Wilayah {number}", LEVEL_ADMINISTRATOR) for number in ("I", "II", "III", "IV")),
            *kasubbag,
        )
    if structure == "rumah_sakit":
        return (
            ("Direktur RSUD Manokwari", LEVEL_JPT),
            ("Wakil Direktur Pelayanan", LEVEL_ADMINISTRATOR),
            ("Wakil Direktur Umum dan Keuangan", LEVEL_ADMINISTRATOR),
            *((f"Kepala Bidang {name}", LEVEL_ADMINISTRATOR) for name in ("Pelayanan Medik", "Keperawatan")),
            *((f"Kepala Seksi {name}", LEVEL_PENGAWAS) for name in _SEKSI),
            *kasubbag,
        )
    if structure == "distrik":
        return (
            (f"Kepala {opd_name}", LEVEL_ADMINISTRATOR),
            ("Sekretaris Distrik", LEVEL_ADMINISTRATOR),
            *((f"Kepala Seksi {name}", LEVEL_PENGAWAS) for name in ("Pemerintahan", "Pelayanan Umum",
                                                                    "Pemberdayaan Masyarakat Kampung",
                                                                    "Ketentraman dan Ketertiban")),
        )  # fmt: skip
    secretary = "Sekretaris Badan" if structure == "badan" else "Sekretaris"
    unit = "Sub Bidang" if structure == "badan" else "Seksi"
    return (
        (f"Kepala {opd_name}", LEVEL_JPT),
        (secretary, LEVEL_ADMINISTRATOR),
        *((f"Kepala Bidang {name}", LEVEL_ADMINISTRATOR) for name in _BIDANG),
        *((f"Kepala {unit} {name}", LEVEL_PENGAWAS) for name in _SEKSI),
        *kasubbag,
    )
