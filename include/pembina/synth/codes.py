"""Code lists and rank rules from domain.md §2-§3 and §6, as the generator uses them."""

from __future__ import annotations

PNS_GOLONGAN = (
    "I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d",
    "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
)  # fmt: skip
PPPK_GOLONGAN = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip
GRADE_III_A = PNS_GOLONGAN.index("III/a")
GRADE_III_C = PNS_GOLONGAN.index("III/c")
GRADE_IV_A = PNS_GOLONGAN.index("IV/a")
GRADE_IV_D = PNS_GOLONGAN.index("IV/d")
GRADE_II_B = PNS_GOLONGAN.index("II/b")

EDUCATION_LEVELS = ("SD", "SLTP", "SLTA", "D-I", "D-II", "D-III", "D-IV", "S-1/Sarjana", "S-2", "S-3")
EDUCATION = {name: index for index, name in enumerate(EDUCATION_LEVELS)}
# PP 98/2000 as amended by PP 11/2002 (domain.md §2); dokter and apoteker start one step higher (III/b).
PNS_START_GRADE = tuple(
    PNS_GOLONGAN.index(g) for g in ("I/a", "I/c", "II/a", "II/a", "II/b", "II/c", "III/a", "III/a", "III/b", "III/c")
)
# Highest rank reachable by regular promotion with a diploma (a synthetic assumption, not a regulation).
PNS_GRADE_CEILING = tuple(
    PNS_GOLONGAN.index(g) for g in ("II/a", "II/c", "III/b", "III/b", "III/b", "III/d", "IV/b", "IV/b", "IV/c", "IV/d")
)
# PPPK rank by diploma is unconfirmed (domain.md §2); this follows the usual Perpres 98/2020 tables.
PPPK_GRADE_BY_EDUCATION = tuple(
    PPPK_GOLONGAN.index(g) for g in ("I", "IV", "V", "V", "VI", "VII", "IX", "IX", "X", "XI")
)

KEDUDUKAN_HUKUM = {
    "01": "Aktif", "02": "CLTN", "03": "Tugas Belajar", "04": "Pemberhentian Sementara",
    "05": "Penerima Uang Tunggu", "13": "Perpanjangan CLTN", "15": "PNS kena hukuman disiplin",
    "20": "Masa Persiapan Pensiun", "66": "Diberhentikan", "69": "TMS dari pengadaan", "70": "Pembatalan NIP",
    "77": "Pemberhentian tanpa hak pensiun", "88": "Pemberhentian dengan hak pensiun", "98": "Mencapai BUP",
    "99": "Pensiun",
}  # fmt: skip

# Employee kinds as stored in the population; the SIASN label of a PNS-track person depends on the date.
KIND_PNS, KIND_PPPK, KIND_PPPK_PARUH_WAKTU = 0, 1, 2
PPPK_LABELS = {KIND_PPPK: "PPPK", KIND_PPPK_PARUH_WAKTU: "PPPK Paruh Waktu"}

# Position levels; BUP per PP 11/2017 art. 239 (domain.md §3).
LEVEL_JPT, LEVEL_ADMINISTRATOR, LEVEL_PENGAWAS = "jpt", "administrator", "pengawas"
LEVEL_UTAMA, LEVEL_MADYA, LEVEL_MUDA, LEVEL_PERTAMA = "ahli utama", "ahli madya", "ahli muda", "ahli pertama"
LEVEL_KETERAMPILAN, LEVEL_PELAKSANA = "keterampilan", "pelaksana"
RETIREMENT_AGE = {
    LEVEL_JPT: 60, LEVEL_ADMINISTRATOR: 58, LEVEL_PENGAWAS: 58, LEVEL_UTAMA: 65, LEVEL_MADYA: 60,
    LEVEL_MUDA: 58, LEVEL_PERTAMA: 58, LEVEL_KETERAMPILAN: 58, LEVEL_PELAKSANA: 58,
}  # fmt: skip
# Standard level of the manajerial and sosial kultural competencies per position level (PermenPAN-RB 38/2017).
MANAGERIAL_STANDARD_LEVEL = {
    LEVEL_JPT: 4, LEVEL_ADMINISTRATOR: 3, LEVEL_PENGAWAS: 2, LEVEL_UTAMA: 4, LEVEL_MADYA: 3,
    LEVEL_MUDA: 2, LEVEL_PERTAMA: 1, LEVEL_KETERAMPILAN: 1, LEVEL_PELAKSANA: 1,
}  # fmt: skip

JENIS_JABATAN = {
    LEVEL_JPT: "Struktural",
    LEVEL_ADMINISTRATOR: "Struktural",
    LEVEL_PENGAWAS: "Struktural",
    LEVEL_PELAKSANA: "Pelaksana",
}  # every other level is "Fungsional"


def keahlian_level(grade: int) -> str:
    if grade >= GRADE_IV_D:
        return LEVEL_UTAMA
    if grade >= GRADE_IV_A:
        return LEVEL_MADYA
    if grade >= GRADE_III_C:
        return LEVEL_MUDA
    return LEVEL_PERTAMA


def keterampilan_title_suffix(grade: int) -> str:
    if grade >= GRADE_III_C:
        return "Penyelia"
    if grade >= GRADE_III_A:
        return "Mahir"
    if grade >= GRADE_II_B:
        return "Terampil"
    return "Pemula"


MANAGERIAL_COMPETENCIES = (
    "Integritas", "Kerjasama", "Komunikasi", "Orientasi pada Hasil", "Pelayanan Publik",
    "Pengembangan Diri dan Orang Lain", "Mengelola Perubahan", "Pengambilan Keputusan",
)  # fmt: skip
SOCIO_CULTURAL_COMPETENCIES = ("Perekat Bangsa",)

SKP_RATINGS = ("di atas ekspektasi", "sesuai ekspektasi", "di bawah ekspektasi")
SKP_PREDIKAT = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
# domain.md §4: predikat by (hasil kerja, perilaku kerja), both indexed like SKP_RATINGS.
SKP_PREDIKAT_MATRIX = {
    (0, 0): "Sangat Baik", (0, 1): "Baik", (0, 2): "Kurang",
    (1, 0): "Baik", (1, 1): "Baik", (1, 2): "Kurang",
    (2, 0): "Butuh Perbaikan", (2, 1): "Butuh Perbaikan", (2, 2): "Sangat Kurang",
}  # fmt: skip
ORGANISATION_PREDIKAT = ("Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")

# PP 94/2021 art. 8: (tingkat, jenis, duration in months or None).
DISCIPLINE_SANCTIONS = (
    ("ringan", "Teguran lisan", None),
    ("ringan", "Teguran tertulis", None),
    ("ringan", "Pernyataan tidak puas secara tertulis", None),
    ("sedang", "Pemotongan tunjangan kinerja 25% selama 6 bulan", 6),
    ("sedang", "Pemotongan tunjangan kinerja 25% selama 9 bulan", 9),
    ("sedang", "Pemotongan tunjangan kinerja 25% selama 12 bulan", 12),
    ("berat", "Penurunan jabatan setingkat lebih rendah selama 12 bulan", 12),
    ("berat", "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan", 12),
    ("berat", "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS", None),
)
DISMISSAL_SANCTION = DISCIPLINE_SANCTIONS[-1][1]
