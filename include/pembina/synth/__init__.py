"""Deterministic synthetic landing files for every Pembina source (``pembina synth``)."""

from pembina.synth.generator import generate

__all__ = ["generate"]
