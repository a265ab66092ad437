"""Independent, named random streams derived from one seed.

Each part of the generator draws from its own stream, so adding a draw in one part never shifts the values of
another. Stream names are hashed with CRC-32, which (unlike Python's ``hash``) is the same in every process.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, zlib.crc32(name.encode())])))


def weighted_choice(rng: np.random.Generator, options: list | tuple, weights, size: int) -> np.ndarray:
    """Indices into ``options`` drawn with the given (not necessarily normalised) weights."""
    probabilities = np.asarray(weights, dtype=float)
    return rng.choice(len(options), size=size, p=probabilities / probabilities.sum())
