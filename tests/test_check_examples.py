"""Every example spec, built with ``python -m generator``, passes ``check`` with no error.

The generator and the checker read the same profiles but were written independently, so this test is
where they hold each other to the rules. Warnings are allowed (e.g. an example that keeps its source
document's "uỷ"/"ủy" mix on purpose).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.check import run_check

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "examples").glob("*.yaml"))

@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_generated_example_passes_check(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{spec.stem}.docx"
    built = subprocess.run([sys.executable, "-m", "generator", str(spec), "-o", str(out)], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    stream = io.StringIO()
    code = run_check([out], output_format="json", stream=stream)
    report = json.loads(stream.getvalue())[0]
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors == [], json.dumps(errors, ensure_ascii=False, indent=1)
    assert code == 0
