import numpy as np
import pyarrow as pa
import pytest

from pembina.contracts import checks


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("12-03-1985", True),
        ("29-02-2024", True),
        ("29-02-2000", True),
        ("29-02-1900", False),
        ("29-02-2023", False),
        ("31-02-1990", False),
        ("31-04-1990", False),
        ("00-01-1990", False),
        ("1-1-2000", False),
        ("12-13-1985", False),
        ("12/03/1985", False),
        ("1985-03-12", False),
        ("ab-cd-efgh", False),
        (None, True),
    ],
)
def test_dates_accept_only_real_calendar_dates_in_the_layout(value, ok):
    assert checks.Dates.of(pa.array([value], pa.string())).ok.tolist() == [ok]


def test_dates_split_into_parts_in_other_layouts():
    dates = checks.Dates.of(pa.array(["1985-03-12", "2024-02-30"]), "%Y-%m-%d")
    assert dates.real.tolist() == [True, False]
    assert (dates.day[0], dates.month[0], dates.year[0]) == (12, 3, 1985)


def test_fixed_text_reads_values_across_chunks_and_slices():
    values = pa.chunked_array([["x", "198503122010011003"], [None, "12345678901234567A"]])
    text = checks.FixedText.of(values, 18)
    assert text.fits.tolist() == [False, True, False, True]
    assert text.digits().tolist() == [False, True, False, False]
    assert checks.all_digits(text).tolist() == [False, True, True, False]
    assert text.number(0, 4)[1] == 1985
    sliced = checks.FixedText.of(pa.array(["a", "b", "123"]).slice(2), 3)
    assert sliced.digits().tolist() == [True]


def test_same_compares_byte_ranges_of_two_columns():
    nip = checks.FixedText.of(pa.array(["198503122010011003", "198503122010011003"]), 18)
    birth = checks.Dates.of(pa.array(["12-03-1985", "13-03-1985"]))
    agrees = nip.same(0, birth.text, 6, 4) & nip.same(4, birth.text, 3, 2) & nip.same(6, birth.text, 0, 2)
    assert agrees.tolist() == [True, False]


def test_in_set_leaves_missing_values_to_the_required_rule():
    verdict = checks.in_set(pa.array(["M", "X", None]), ["M", "F"])
    assert np.array_equal(verdict, [True, False, True])


def test_tidy_text_trims_unicode_spaces_and_blanks_become_missing():
    values = pa.array(["\u2003x", "y\u2003", " ", "ok", "\u00a0z", None, "", "a b"])
    assert checks.tidy_text(values).to_pylist() == ["x", "y", None, "ok", "z", None, None, "a b"]
    clean = pa.array(["ANDI", "Élise", None])
    assert checks.tidy_text(clean) is clean  # nothing to trim: the column is passed through
