"""Mapping files: the shipped ones load; a broken one fails when the registry is built, with a message
naming the file and the field; a new vendor needs a mapping file and nothing else."""

import shutil
from pathlib import Path

import pytest
import yaml

from pembina.sources import families
from pembina.sources.mapped import MAPPINGS_DIR, TRAINING, UNIVERSITY, MappingError, entity_from_mapping, load_family

LAN = MAPPINGS_DIR / "training" / "lan_ri.yml"


def test_the_shipped_mappings_declare_the_manifest_sources():
    assert set(families()["training"]) == {"training_bpsdm_papua_barat", "training_lan_ri", "training_elearning_asn"}
    assert set(families()["university"]) == {"university_unipa", "university_umpb", "university_stih_manokwari"}


def _write(tmp_path: Path, change) -> Path:
    folder = tmp_path / "training"
    folder.mkdir()
    document = yaml.safe_load(LAN.read_text(encoding="utf-8"))
    change(document)
    path = folder / "broken_vendor.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _drop(key):
    return lambda document: document.pop(key)


def _set(*keys_and_value):
    *keys, value = keys_and_value

    def change(document):
        target = document
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


def _unmap(canonical):
    return lambda document: document["columns"].pop(canonical)


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (_set("kolom", "x"), "kolom", "unknown key"),
        (_set("format", "type", "parquet"), "format.type", "unknown format 'parquet'"),
        (_set("format", "sheet", "Sheet1"), "format.sheet", "unknown option for csv"),
        (_unmap("nip"), "columns.nip", "required canonical field is not mapped"),
        (_unmap("duration_value"), "columns.duration_value", "required canonical field is not mapped"),
        (_set("columns", "peserta", "nama"), "columns.peserta", "not a canonical column"),
        (_drop("duration_unit"), "duration_unit", "is required"),
        (_set("duration_unit", "jp"), "duration_unit", "must be {unit: jp | minutes | clock_hours | days, reason"),
        (_set("duration_unit", {"unit": "hours", "reason": "x"}), "duration_unit.unit", "one of jp, minutes, clock_"),
        (_set("duration_unit", {"unit": "jp", "reason": " "}), "duration_unit.reason", "one line saying why"),
        (_set("duration_unit", {"unit": "jp"}), "duration_unit", "must be {unit:"),
        (_set("dates", "start_date", "%m/%d/%Y"), "dates.start_date", "unknown date format"),
        (_set("codes", "completion_status", "LULUS", "lulus"), "codes.completion_status.LULUS", "not one of"),
        (_set("ranges", "duration_value", {"min": 1}), "ranges.duration_value", "must be {min"),
        (_set("key", ["nip", "angkatan"]), "key.angkatan", "not a mapped column"),
        (_set("required", ["nip", "sertifikat"]), "required.sertifikat", "not a mapped column"),
        (_drop("landing_folder"), "landing_folder", "is required"),
    ],
)
def test_a_broken_mapping_fails_naming_file_and_field(tmp_path, change, field, problem):
    path = _write(tmp_path, change)
    with pytest.raises(MappingError) as error:
        load_family(TRAINING, tmp_path)
    message = str(error.value)
    assert message.startswith(f"mapping {path}: field {field}: ")
    assert problem in message


def test_invalid_yaml_names_the_file(tmp_path):
    (tmp_path / "university").mkdir()
    path = tmp_path / "university" / "rusak.yml"
    path.write_text("university: [unclosed\n", encoding="utf-8")
    with pytest.raises(MappingError, match=f"mapping {path}: not valid YAML"):
        load_family(UNIVERSITY, tmp_path)


def test_two_mappings_for_one_vendor_are_refused(tmp_path):
    (tmp_path / "training").mkdir()
    shutil.copy(LAN, tmp_path / "training" / "lan_ri.yml")
    shutil.copy(LAN, tmp_path / "training" / "lan_ri_lagi.yml")
    with pytest.raises(MappingError, match="also declared by"):
        load_family(TRAINING, tmp_path)


def test_a_new_vendor_is_a_mapping_file(tmp_path):
    def as_new_vendor(document):
        document["vendor"] = "bpsdm_pusat"
        document["landing_folder"] = "training/bpsdm_pusat"

    _write(tmp_path, as_new_vendor)
    [mapping] = load_family(TRAINING, tmp_path).values()
    entity = entity_from_mapping(mapping)
    assert (entity.source, entity.landing_subdir, entity.raw_table) == (
        "training_bpsdm_pusat",
        "training/bpsdm_pusat",
        "raw.training_participation",
    )
    assert entity.constants == (("_vendor", "bpsdm_pusat"),)


def test_a_university_mapping_declaring_a_duration_unit_is_refused(tmp_path):
    (tmp_path / "university").mkdir()
    document = yaml.safe_load((MAPPINGS_DIR / "university" / "unipa.yml").read_text(encoding="utf-8"))
    document["duration_unit"] = {"unit": "days", "reason": "programme length"}
    path = tmp_path / "university" / "unipa.yml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(MappingError, match=f"mapping {path}: field duration_unit: a university sends no duration"):
        load_family(UNIVERSITY, tmp_path)


def test_docs_state_each_vendors_duration_unit_and_reason_as_its_mapping_does():
    """docs/sources.md, "Duration units of the training vendors": one table row per vendor mapping, with the
    unit and the reason of its mapping, word for word."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "sources.md").read_text(encoding="utf-8")
    section = docs.split("### Duration units of the training vendors", 1)[1].split("\n#", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("| `")]
    documented = {vendor.strip(" `"): (unit.strip(" `"), reason.strip()) for vendor, unit, reason in rows}
    declared = {
        path.stem: tuple(yaml.safe_load(path.read_text(encoding="utf-8"))["duration_unit"].values())
        for path in sorted((MAPPINGS_DIR / "training").glob("*.yml"))
    }
    assert documented == declared
    assert documented["bpsdm_papua_barat"][0] == "jp"  # a BPSDM "jam" is a JP: 16 jam = 16 JP, not 21.33
