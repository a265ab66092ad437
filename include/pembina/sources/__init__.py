"""One module (or mapping file) per source family.

``REGISTRY`` holds the sources declared in code; ``registry()`` adds one source per mapping file (training
vendors, universities), read when it is first asked for, so that a broken mapping fails there with a message
naming the file and the field. ``FAMILIES`` groups sources per ingest DAG: ``pembina ingest training`` loads
every vendor in turn."""

from __future__ import annotations

from collections.abc import Callable

from pembina.sources.base import SourceEntity


class UnknownSource(KeyError):
    """A source or family name that no module or mapping file declares."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


def _siasn() -> SourceEntity:
    from pembina.sources import siasn

    return siasn.entity()


def _ekinerja() -> SourceEntity:
    from pembina.sources import ekinerja

    return ekinerja.entity()


def _ekinerja_organisation() -> SourceEntity:
    from pembina.sources import ekinerja

    return ekinerja.organisation_entity()


def _assessment() -> SourceEntity:
    from pembina.sources import assessment

    return assessment.entity()


def _discipline() -> SourceEntity:
    from pembina.sources import discipline

    return discipline.entity()


def _forum() -> SourceEntity:
    from pembina.sources import forum

    return forum.session_entity()


def _forum_masukan() -> SourceEntity:
    from pembina.sources import forum

    return forum.input_entity()


def _inovasi() -> SourceEntity:
    from pembina.sources import inovasi

    return inovasi.csv_entity()


def _inovasi_xlsx() -> SourceEntity:
    from pembina.sources import inovasi

    return inovasi.xlsx_entity()


def _skm() -> SourceEntity:
    from pembina.sources import skm

    return skm.entity()


def _lapor_api() -> SourceEntity:
    from pembina.sources import lapor

    return lapor.entity()


def _lapor_csv() -> SourceEntity:
    from pembina.sources import lapor

    return lapor.csv_entity()


REGISTRY: dict[str, Callable[[], SourceEntity]] = {
    "siasn": _siasn,
    "ekinerja": _ekinerja,
    "ekinerja_organisation": _ekinerja_organisation,
    "assessment": _assessment,
    "discipline": _discipline,
    "forum": _forum,
    "forum_masukan": _forum_masukan,
    "inovasi": _inovasi,
    "inovasi_xlsx": _inovasi_xlsx,
    "skm": _skm,
    "lapor_api": _lapor_api,
    "lapor_csv": _lapor_csv,
}
# Families whose sources are fixed in code; "training" and "university" come from the mapping files.
CODED_FAMILIES: dict[str, tuple[str, ...]] = {
    "siasn": ("siasn",),
    "ekinerja": ("ekinerja", "ekinerja_organisation"),
    "assessment": ("assessment",),
    "discipline": ("discipline",),
    "forum": ("forum", "forum_masukan"),
    "inovasi": ("inovasi", "inovasi_xlsx"),
    "skm": ("skm",),
    "lapor": ("lapor_api", "lapor_csv"),
}


def _mapped_factory(source: str) -> Callable[[], SourceEntity]:
    def build() -> SourceEntity:
        from pembina.sources.mapped import entity_from_mapping, mapped_sources

        return entity_from_mapping(mapped_sources()[source])

    return build


def registry() -> dict[str, Callable[[], SourceEntity]]:
    """Every source: the coded ones and one per mapping file."""
    from pembina.sources.mapped import mapped_sources

    return {**REGISTRY, **{source: _mapped_factory(source) for source in mapped_sources()}}


def families() -> dict[str, tuple[str, ...]]:
    """Source family (one ingest DAG each) -> its sources."""
    from pembina.sources.mapped import FAMILIES as MAPPED_FAMILIES
    from pembina.sources.mapped import mapped_sources

    mapped = mapped_sources()
    return {
        **CODED_FAMILIES,
        **{
            name: tuple(source for source, mapping in mapped.items() if mapping.family is family)
            for name, family in MAPPED_FAMILIES.items()
        },
    }


def family_sources(family: str) -> tuple[str, ...]:
    try:
        return families()[family]
    except KeyError:
        raise UnknownSource(
            f"unknown source family {family!r}; known families: {', '.join(sorted(families()))}"
        ) from None


def get_entity(source: str) -> SourceEntity:
    if source in REGISTRY:
        return REGISTRY[source]()
    known = registry()
    try:
        return known[source]()
    except KeyError:
        raise UnknownSource(f"unknown source {source!r}; known sources: {', '.join(sorted(known))}") from None
