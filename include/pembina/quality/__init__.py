"""Data quality: Great Expectations suites on the raw layer and the marts, recorded in ``audit``.

Importing this package is cheap; Great Expectations itself is imported when ``validate_warehouse`` runs.
"""

from pembina.quality.gx_checks import (
    ExpectationOutcome,
    QualityGateFailed,
    SuiteOutcome,
    ValidationSummary,
    validate_warehouse,
)
from pembina.quality.suites import CRITICAL, SUITES, WARNING, Check, Suite, critical, warning

__all__ = [
    "CRITICAL",
    "SUITES",
    "WARNING",
    "Check",
    "ExpectationOutcome",
    "QualityGateFailed",
    "Suite",
    "SuiteOutcome",
    "ValidationSummary",
    "critical",
    "validate_warehouse",
    "warning",
]
