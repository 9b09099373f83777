"""Each sample directive is reproduced word for word from its example spec.

The seed text (after removing only conversion noise, see docxtext.split_seed/squash) must appear as one
contiguous run inside the generated document's text, and every seed footnote must be a real footnote of
the document with the same text. Where a seed lacks a part (the header, the signature), the spec supplies
plausible values; they are outside the seed's text and so outside the comparison.

Seeds 001 and 004 show no "-----" under the trích yếu: their originals drew the separator as a line shape,
which a text dump cannot carry. Our documents print HD 36's "-----" there; for those seeds that one
separator paragraph is left out of the comparison (it is the same element in another form).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import GOLDEN
from docxtext import body_paragraphs, footnote_texts, split_seed, squash

SEEDS = sorted(GOLDEN.glob("*.txt"))


def _example_for(seed: Path, built: dict[str, Path]) -> Path:
    matches = [path for name, path in built.items() if name.startswith(seed.stem + "-")]
    assert len(matches) == 1, f"one example per seed {seed.name}, found {matches}"
    return matches[0]


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
def test_sample_text_reproduced(seed: Path, built_examples: dict[str, Path]) -> None:
    docx = _example_for(seed, built_examples)
    seed_body, seed_notes = split_seed(seed.read_text(encoding="utf-8"))
    paragraphs = body_paragraphs(docx)
    if "-----" not in seed_body:
        paragraphs.remove("-----")  # the separator under the trích yếu, drawn as a shape in this seed's original
    ours = squash("".join(paragraphs))
    expected = squash(seed_body)
    if expected not in ours:
        # Find where they part, to make the failure readable.
        prefix = 0
        for size in range(len(expected), 0, -max(1, len(expected) // 400)):
            if expected[:size] in ours:
                prefix = size
                break
        pytest.fail(f"seed text diverges after {prefix} of {len(expected)} characters:\n"
                    f"seed: …{expected[max(0, prefix - 80):prefix + 80]}…")
    assert [squash(n) for n in footnote_texts(docx)] == [squash(n) for n in seed_notes]


def test_every_seed_has_an_example() -> None:
    names = {p.stem for p in (Path(__file__).resolve().parents[1] / "examples").glob("*.yaml")}
    for seed in SEEDS:
        assert any(n.startswith(seed.stem + "-") for n in names), seed.name
