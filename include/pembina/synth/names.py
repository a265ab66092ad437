"""Names, birthplaces and contact data of Papuan (OAP) and non-Papuan civil servants."""

from __future__ import annotations

import unicodedata

import numpy as np

_OAP_MALE = (
    "YOHANES", "MARKUS", "YAKOB", "PETRUS", "PAULUS", "YULIUS", "AGUSTINUS", "DANIEL", "SAMUEL", "MICHAEL",
    "NATANAEL", "OBED", "YANCE", "FRANS", "HERMANUS", "ELIEZER", "YOSIAS", "SEPTINUS", "ALFONS", "ONESIMUS",
    "ZAKHEUS", "DORTEUS", "LEONARD", "MELKIAS", "ISAK", "ABRAHAM", "MARTHINUS", "EMANUEL", "GABRIEL", "ISRAEL",
    "NOEL", "RENE", "YAFET", "BENONI", "HENDRIK", "NIKOLAS", "OTTO", "SEFNAT",
)  # fmt: skip
_OAP_FEMALE = (
    "MARIA", "ELISABETH", "YULIANA", "ESTER", "RIBKA", "NAOMI", "SARA", "DEBORA", "YOSINA", "MARTHA", "FIENA",
    "AGUSTINA", "BERTHA", "FRANSINA", "MERLIN", "OKTOVINA", "SELFINA", "ANACE", "NOVITA", "DORTEA", "YOHANA",
    "AGNES", "NOELA", "HELENE", "LOIS", "ZOE", "MIRIAM", "LEA", "PENINA", "SALOMINA", "KORNELIA", "META",
)  # fmt: skip
_OAP_SURNAMES = (
    "MANDACAN", "DOWANSIBA", "INDOUW", "SAIBA", "RUMBIAK", "RUMBEWAS", "MANSIM", "WONGGOR", "ULLO", "ARONGGEAR",
    "RUMFABE", "SROYER", "MANDOWEN", "RUMAROPEN", "KAFIAR", "WANMA", "MAYOR", "RUMADAS", "KAMBU", "RUMBRAWER",
    "INDEN", "AYAMISEBA", "SAWAKI", "WARIKAR", "MOFU", "MANSOBEN", "RUMSAYOR", "WAMBRAUW", "KAWER", "BONSAPIA",
    "YOTENI", "KORWA", "ANSAKA", "SAYORI", "MSEN", "IBA", "ATARURI", "TIBIAY", "AHOREN", "MANDATJAN", "SAROY",
    "MANSAWAN", "RUMANSARA", "AWOM", "KREY", "RUMAKIEK", "FONATABA", "WAMAFMA", "RUMPAIDUS", "BURDAM",
)  # fmt: skip
_OTHER_MALE = (
    "AGUS", "BUDI", "EKO", "RAHMAT", "MUHAMMAD", "AHMAD", "HENDRA", "ANDI", "IRWAN", "SYAMSUL", "HOTMAN",
    "JUNIOR", "MARTHEN", "YOSEF", "FERDINANDUS", "ARIF", "WAHYU", "HERU", "SUPRIYANTO", "DEDI", "IMAM",
    "ABDUL", "RUDI", "SLAMET", "BAMBANG", "ANDRE", "RENE", "JOSE", "LUKAS", "STEVEN", "FAJAR", "YUSUF",
)  # fmt: skip
_OTHER_FEMALE = (
    "SRI", "SITI", "DEWI", "NUR", "RINA", "YULI", "FITRIANI", "HASNAH", "MARLINA", "WIWIK", "ERNI", "LINDA",
    "YUNITA", "RATNA", "ASTRID", "RAHMAWATI", "INDAH", "MEGA", "NOVI", "AGNES", "IRENE", "CHLOE", "HELENE",
    "SUSANTI", "WULAN", "FATIMAH", "LESTARI", "ANITA",
)  # fmt: skip
_OTHER_SURNAMES = (
    "SANTOSO", "WIBOWO", "SETIAWAN", "PRASETYO", "HIDAYAT", "SIMANJUNTAK", "PASARIBU", "SIREGAR", "MANOPPO",
    "LATUHARHARY", "PATTINAMA", "TANAMAL", "PALINGGI", "RUNDUPADANG", "DA COSTA", "LAMABELAWA", "SYAMSUDDIN",
    "HAMZAH", "LATIF", "BADARUDDIN", "NUGROHO", "KURNIAWAN", "SAPUTRA", "TAMBUNAN", "SITUMORANG", "WATTIMENA",
    "SOPACUA", "RUMAGIT", "PANGKEREGO", "BASO", "MAKATITA", "LEWERISSA",
)  # fmt: skip
# Dutch and French spellings that occur in Papua and Maluku; they make the Latin-1 SAPK export non-ASCII.
DIACRITIC_SPELLINGS = {
    "DANIEL": "DANIËL", "SAMUEL": "SAMUËL", "MICHAEL": "MICHAËL", "NATANAEL": "NATANAËL", "EMANUEL": "EMANUËL",
    "GABRIEL": "GABRIËL", "ISRAEL": "ISRAËL", "NOEL": "NOËL", "RENE": "RENÉ", "JOSE": "JOSÉ", "ANDRE": "ANDRÉ",
    "AGNES": "AGNÈS", "NOELA": "NOËLA", "HELENE": "HÉLÈNE", "LOIS": "LOÏS", "ZOE": "ZOË", "CHLOE": "CHLOË",
}  # fmt: skip
DIACRITIC_SHARE = 0.2  # of the people whose first name has a diacritic spelling

# (birthplace, Kemendagri regency code used as NIK prefix, weight)
_OAP_BIRTHPLACES = (
    ("MANOKWARI", "9202", 55), ("BIAK", "9106", 8), ("SORONG", "9271", 6), ("JAYAPURA", "9171", 4),
    ("SERUI", "9105", 4), ("NABIRE", "9104", 3), ("FAKFAK", "9203", 3), ("WASIOR", "9207", 4),
    ("BINTUNI", "9206", 4), ("RANSIKI", "9211", 4), ("ANGGI", "9212", 3), ("KAIMANA", "9208", 2),
)  # fmt: skip
_OTHER_BIRTHPLACES = (
    ("MANOKWARI", "9202", 35), ("MAKASSAR", "7371", 12), ("AMBON", "8171", 8), ("MANADO", "7171", 7),
    ("SURABAYA", "3578", 5), ("YOGYAKARTA", "3471", 4), ("KUPANG", "5371", 5), ("MAKALE", "7318", 5),
    ("MEDAN", "1275", 3), ("SEMARANG", "3374", 3), ("MALANG", "3573", 3), ("JAKARTA", "3174", 3),
    ("BAUBAU", "7472", 4), ("TERNATE", "8271", 3),
)  # fmt: skip
MANOKWARI_NIK_PREFIX = "9202"
SHARE_REGISTERED_IN_MANOKWARI = 0.5  # born elsewhere but given a NIK in Manokwari

_STREETS = (
    "Jl. Trikora Wosi", "Jl. Yos Sudarso", "Jl. Merdeka", "Jl. Pahlawan", "Jl. Siliwangi", "Jl. Brawijaya",
    "Jl. Gunung Salju Amban", "Jl. Esau Sesa", "Jl. Percetakan Negara", "Jl. Sujarwo Condronegoro",
    "Jl. Manunggal Amban", "Jl. Pasir Putih", "Jl. Drs. Esau Sesa", "Jl. Baru Sowi", "Jl. Reremi Puncak",
    "Jl. Angkasa", "Jl. Sanggeng", "Jl. Bhayangkara", "Kompleks Perumahan Reremi", "Jl. Irian Jaya Arfai",
)  # fmt: skip
_KELURAHAN = ("Wosi", "Sanggeng", "Amban", "Pasir Putih", "Padarni", "Manokwari Timur", "Andai", "Sowi", "Arfai")
_PHONE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0851")
_MAIL_HOSTS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.co.id", "yahoo.com")
GOVERNMENT_MAIL_HOST = "manokwarikab.go.id"


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _pick(rng: np.random.Generator, pool: tuple[str, ...]) -> str:
    return pool[rng.integers(len(pool))]


def full_name(rng: np.random.Generator, is_oap: bool, is_male: bool) -> str:
    if is_oap:
        given = _OAP_MALE if is_male else _OAP_FEMALE
        first = _pick(rng, given)
        if first in DIACRITIC_SPELLINGS and rng.random() < DIACRITIC_SHARE:
            first = DIACRITIC_SPELLINGS[first]
        middle = f" {_pick(rng, given)}" if rng.random() < 0.4 else ""
        return f"{first}{middle} {_pick(rng, _OAP_SURNAMES)}"
    given = _OTHER_MALE if is_male else _OTHER_FEMALE
    first = _pick(rng, given)
    if first in DIACRITIC_SPELLINGS and rng.random() < DIACRITIC_SHARE:
        first = DIACRITIC_SPELLINGS[first]
    if rng.random() < 0.3:  # Javanese-style names without a family name
        second = _pick(rng, given)
        return f"{first} {second if second != first else _pick(rng, _OTHER_SURNAMES)}"
    return f"{first} {_pick(rng, _OTHER_SURNAMES)}"


def _cumulative(weights) -> np.ndarray:
    totals = np.cumsum(np.asarray(weights, dtype=float))
    return totals / totals[-1]


_BIRTHPLACE_CUMULATIVE = {True: _cumulative([w for *_, w in _OAP_BIRTHPLACES]),
                          False: _cumulative([w for *_, w in _OTHER_BIRTHPLACES])}  # fmt: skip
_RELIGIONS = {
    True: (("Kristen", "Katolik", "Islam"), _cumulative((0.84, 0.11, 0.05))),
    False: (("Islam", "Kristen", "Katolik", "Hindu", "Buddha"), _cumulative((0.6, 0.24, 0.11, 0.03, 0.02))),
}


def _draw(rng: np.random.Generator, cumulative: np.ndarray) -> int:
    return int(np.searchsorted(cumulative, rng.random(), side="right"))


def birthplace_and_nik_region(rng: np.random.Generator, is_oap: bool) -> tuple[str, str]:
    """Birthplace and the six-digit NIK region (province, regency, district of first registration)."""
    places = _OAP_BIRTHPLACES if is_oap else _OTHER_BIRTHPLACES
    place, regency, _ = places[_draw(rng, _BIRTHPLACE_CUMULATIVE[is_oap])]
    if regency != MANOKWARI_NIK_PREFIX and rng.random() < SHARE_REGISTERED_IN_MANOKWARI:
        regency = MANOKWARI_NIK_PREFIX
    district_count = 9 if regency == MANOKWARI_NIK_PREFIX else 12
    return place, f"{regency}{rng.integers(1, district_count + 1):02d}"


def religion(rng: np.random.Generator, is_oap: bool) -> str:
    options, cumulative = _RELIGIONS[is_oap]
    return options[_draw(rng, cumulative)]


def address(rng: np.random.Generator) -> str:
    return f"{_pick(rng, _STREETS)} No. {rng.integers(1, 160)}, Kel. {_pick(rng, _KELURAHAN)}"


def phone_number(rng: np.random.Generator) -> str:
    digits = rng.integers(0, 10, size=int(rng.integers(7, 9)))
    return _pick(rng, _PHONE_PREFIXES) + "".join(map(str, digits))


def _mail_local_part(name: str) -> str:
    parts = ascii_fold(name).lower().split()
    return f"{parts[0]}.{''.join(parts[1:])}" if len(parts) > 1 else parts[0]


def personal_email(rng: np.random.Generator, name: str) -> str:
    return f"{_mail_local_part(name)}{rng.integers(1, 99)}@{_pick(rng, _MAIL_HOSTS)}"


def government_email(name: str, nip: str) -> str:
    return f"{_mail_local_part(name)}.{nip[-3:]}@{GOVERNMENT_MAIL_HOST}"


def digit_string(rng: np.random.Generator, length: int) -> str:
    return "".join(map(str, rng.integers(0, 10, size=length)))
