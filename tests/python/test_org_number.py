"""alor's organisation-number check against python-stdnum's (`stdnum.no.orgnr`), an independent
implementation, on 100 000 random inputs: digits, every kind of space a web page or document
puts between groups (ordinary, no-break, thin, narrow no-break), full-width digits, and junk."""

from __future__ import annotations

import random

import pytest
from stdnum.no import orgnr

import alor

SPACES = [" ", "\u00a0", "\u2009", "\u202f", "\u2007", "\t"]
FULL_WIDTH = {chr(ord("0") + d): chr(0xFF10 + d) for d in range(10)}
JUNK = ["-", ".", "a", "O", "١", "½", ""]


def to_ascii(text: str) -> str:
    """What the input means: every space an ASCII space, full-width digits ASCII digits."""
    out = []
    for c in text:
        if c in SPACES:
            out.append(" ")
        elif "\uff10" <= c <= "\uff19":
            out.append(chr(ord(c) - 0xFF10 + ord("0")))
        else:
            out.append(c)
    return "".join(out)


def random_input(rng: random.Random) -> str:
    length = rng.choice([8, 9, 9, 9, 9, 10])
    digits = [str(rng.randrange(10)) for _ in range(length)]
    if length == 9 and rng.random() < 0.5:  # make about half the nine-digit ones valid
        first = [int(d) for d in digits[:8]]
        total = sum(d * w for d, w in zip(first, [3, 2, 7, 6, 5, 4, 3, 2]))
        check = (11 - total % 11) % 11
        if check < 10:
            digits[8] = str(check)
    out = []
    for i, d in enumerate(digits):
        if i in (3, 6) and rng.random() < 0.6:
            out.append(rng.choice(SPACES))
        out.append(FULL_WIDTH[d] if rng.random() < 0.15 else d)
    if rng.random() < 0.05:
        out.insert(rng.randrange(len(out) + 1), rng.choice(JUNK))
    if rng.random() < 0.1:
        out.append(rng.choice(SPACES))
    return "".join(out)


def test_agrees_with_python_stdnum_on_100_000_random_inputs() -> None:
    rng = random.Random(20261204)
    valid = 0
    for _ in range(100_000):
        text = random_input(rng)
        meant = to_ascii(text)
        expected = orgnr.is_valid(meant)
        try:
            got = alor.validate_org_number(text)
        except alor.ValidationError as error:
            assert not expected, f"{text!r}: alor refused ({error.code}), stdnum accepts"
            assert error.code == "invalid_organisation_number"
        else:
            assert expected, f"{text!r}: alor accepts, stdnum refuses"
            assert got == orgnr.compact(meant)
            valid += 1
    assert 30_000 < valid < 70_000, f"{valid} valid inputs: the generator lost its balance"


@pytest.mark.parametrize("text", ["985\u00a0198\u00a0292", "985\u2009198\u2009292", "\uff19\uff18\uff15198292"])
def test_numbers_copied_from_pages_are_accepted(text: str) -> None:
    assert alor.validate_org_number(text) == "985198292"
