"""One module (or mapping file) per source family."""

from __future__ import annotations

from collections.abc import Callable

from pembina.sources.base import SourceEntity


def _siasn() -> SourceEntity:
    from pembina.sources import siasn

    return siasn.entity()


REGISTRY: dict[str, Callable[[], SourceEntity]] = {"siasn": _siasn}


def get_entity(source: str) -> SourceEntity:
    try:
        return REGISTRY[source]()
    except KeyError:
        raise KeyError(f"unknown source {source!r}; known sources: {', '.join(sorted(REGISTRY))}") from None
