"""The console script as a clerk or a CI pipeline uses it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES, ROOT, run_cli

SPEC = EXAMPLES / "002-hoi-nghi-giua-nhiem-ky.yaml"


def test_version_names_install_path_and_python() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("gen-directive 0.1.0 (")
    assert "Python 3." in result.stdout


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("build", "check", "preview"):
        assert command in result.stdout


def test_default_output_is_spec_name_with_docx(tmp_path: Path) -> None:
    spec = tmp_path / "huong-dan.yaml"
    shutil.copy(SPEC, spec)
    result = run_cli(spec)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "huong-dan.docx").is_file()
    assert result.stdout.strip() == str(tmp_path / "huong-dan.docx")


def test_same_spec_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run_cli(SPEC, "-o", first).returncode == 0
    assert run_cli(SPEC, "-o", second).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_batch_builds_every_example(tmp_path: Path) -> None:
    specs = sorted(EXAMPLES.glob("*.yaml"))
    result = run_cli(*specs, "--out-dir", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == sorted(s.with_suffix(".docx").name for s in specs)


def test_one_output_name_for_several_specs_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("--lang", "en", SPEC, SPEC, "-o", tmp_path / "x.docx")
    assert result.returncode == 2
    assert result.stderr.strip() == "-o names one output file; with several specs use --out-dir."
    assert not (tmp_path / "x.docx").exists()


def test_output_must_not_be_the_spec(tmp_path: Path) -> None:
    spec = tmp_path / "odd.docx"
    shutil.copy(SPEC, spec)
    before = spec.read_bytes()
    result = run_cli("--lang", "en", spec, "-o", spec)
    assert result.returncode == 2
    assert result.stderr.strip() == f"the output {spec} is the spec itself; choose another output path (-o)."
    assert spec.read_bytes() == before


def test_templates_match_their_sources() -> None:
    result = subprocess.run([sys.executable, "-m", "generator.template_build", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_json_schema_is_generated_from_the_spec_definition() -> None:
    result = subprocess.run([sys.executable, "-m", "generator.schema_export"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads((ROOT / "docs" / "spec.schema.json").read_text(encoding="utf-8"))


def test_examples_point_at_the_schema() -> None:
    for spec in EXAMPLES.glob("*.yaml"):
        assert spec.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../docs/spec.schema.json"), spec.name


def test_the_installed_package_carries_every_data_file_and_compiled_template() -> None:
    """What the run time reads must be installed (CI tests a non-editable install): data/ and templates/ as
    a whole (the readable sources too, so an installed package can rebuild its templates with another profile)."""
    from generator.paths import DATA_DIR, TEMPLATES_DIR

    def files(root: Path, skip: tuple[str, ...] = ()) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith("__init__")
                and not any(p.relative_to(root).as_posix().startswith(s) for s in skip)}

    assert files(ROOT / "data") <= files(DATA_DIR)
    assert files(ROOT / "templates") <= files(TEMPLATES_DIR)
