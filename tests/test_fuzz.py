"""Fuzz targets, small budget: every surface gets FUZZ_EXAMPLES hostile mutations of its seeds (40 by
default); each must end in a result or a clerk's message, never an internal error, a hang over 5 s or an
unescaped parent text. The large run is ``python tests/fuzz_targets.py --surface all --count 10000``
(figures in the README's Safety section).
"""

from __future__ import annotations

import os
import random
import signal
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzz_targets

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))


@pytest.fixture(autouse=True)
def _english():
    from generator.i18n import set_language

    set_language("en")
    yield
    set_language(None)


@pytest.mark.parametrize("surface", fuzz_targets.SURFACES)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_fuzz_surface(surface: str, seed: int) -> None:
    data = fuzz_targets.make_input(surface, random.Random(seed))
    previous = signal.signal(signal.SIGALRM, fuzz_targets._alarm)
    signal.alarm(fuzz_targets.TIME_LIMIT_SECONDS)
    try:
        with tempfile.TemporaryDirectory() as name:
            outcome, detail = fuzz_targets.run_one(surface, data, Path(name))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert outcome in ("ok", "refused"), (outcome, detail, data[:2000])
