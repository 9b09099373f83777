"""Batches for CI: ``gen-directive build PATH…`` over files, folders and globs, on -j worker processes."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, gen_directive, run_cli, unavailable

ENGLISH = {"LANG": "C.UTF-8"}
SPEC = EXAMPLES / "002-hoi-nghi-giua-nhiem-ky.yaml"
REGISTRY = ROOT / "data" / "organs" / "lai-chau.yaml"
SUMMARY = re.compile(r"(\d+) built, (\d+) failed, (\d+) skipped in \d+\.\d\d s \(\d+\.\d documents/s\)\.")
SKIP_NOTE = "{file}: skipped, not a spec (none of the keys date:, issuer:, signature:, subject:, type: at the top level)."


def en(*args: str | os.PathLike, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return run_cli("--lang", "en", *args, cwd=cwd)


def summary(result: subprocess.CompletedProcess) -> tuple[int, int, int]:
    match = SUMMARY.fullmatch(result.stderr.splitlines()[-1])
    assert match, result.stderr
    return int(match[1]), int(match[2]), int(match[3])


def spec_tree(root: Path) -> Path:
    """specs/ with a spec at the top, one two folders down, one in a hidden folder, a registry, a non-YAML
    file and a spec with a mistake in it (a misspelt required key)."""
    specs = root / "specs"
    (specs / "lai-chau" / "2023").mkdir(parents=True)
    (specs / ".drafts").mkdir()
    shutil.copy(SPEC, specs / "a.yaml")
    shutil.copy(SPEC, specs / "lai-chau" / "2023" / "b.yaml")
    shutil.copy(SPEC, specs / ".drafts" / "c.yaml")
    shutil.copy(REGISTRY, specs / "lai-chau" / "organs.yaml")
    (specs / "notes.txt").write_text("type: not yaml by name\n", encoding="utf-8")
    broken = SPEC.read_text(encoding="utf-8").replace("\nsubject: |", "\nsubjct: |")
    (specs / "lai-chau" / "broken.yaml").write_text(broken, encoding="utf-8")
    return specs


# --------------------------------------------------------------------------------------------------
# Finding specs, mirroring the tree, the out-dir


def test_folder_is_searched_recursively_and_mirrored_into_a_new_out_dir(tmp_path: Path) -> None:
    spec_tree(tmp_path)
    result = en("build", "specs", "--out-dir", "out/new", "-j", "2", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # broken.yaml fails, the rest is built
    assert result.stdout.splitlines() == ["out/new/a.docx", "out/new/lai-chau/2023/b.docx"]
    built = sorted(str(p.relative_to(tmp_path / "out/new")) for p in (tmp_path / "out/new").rglob("*.docx"))
    assert built == ["a.docx", "lai-chau/2023/b.docx"]
    lines = result.stderr.splitlines()
    assert lines[0] == SKIP_NOTE.format(file="specs/lai-chau/organs.yaml")
    broken = [line for line in lines if line.startswith("specs/lai-chau/broken.yaml:")]
    assert any(re.fullmatch(r'specs/lai-chau/broken\.yaml:\d+:1: subjct: unknown key "subjct"\. Did you mean "subject"\?', line)
               for line in broken), broken
    assert summary(result) == (2, 1, 1)
    assert not (tmp_path / "out/new/lai-chau/broken.docx").exists()


def test_glob_keeps_the_tree_below_its_fixed_folders(tmp_path: Path) -> None:
    spec_tree(tmp_path)
    (tmp_path / "specs/lai-chau/broken.yaml").unlink()
    result = en("build", "specs/lai-chau/**/*.yaml", "--out-dir", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["out/2023/b.docx"]
    assert result.stderr.splitlines()[0] == SKIP_NOTE.format(file="specs/lai-chau/organs.yaml")
    assert summary(result) == (1, 0, 1)


def test_glob_without_match_is_a_usage_error(tmp_path: Path) -> None:
    result = en("build", "nothing/*.yaml", "--out-dir", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "nothing/*.yaml: no file matches this pattern.\n"
    assert not (tmp_path / "out").exists()


def test_files_named_on_the_command_line_land_in_the_out_dir_by_name(tmp_path: Path) -> None:
    specs = spec_tree(tmp_path)
    result = en("build", specs / "a.yaml", specs / "lai-chau/2023/b.yaml", "--out-dir", tmp_path / "x/y")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / "x/y/a.docx"), str(tmp_path / "x/y/b.docx")]


def test_a_single_spec_with_a_missing_out_dir(tmp_path: Path) -> None:
    result = en("build", SPEC, "--out-dir", tmp_path / "new/folder")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{tmp_path / 'new/folder' / SPEC.with_suffix('.docx').name}\n"
    assert result.stderr == ""  # one spec: no batch summary


def test_a_registry_file_named_on_the_command_line_is_built_and_fails(tmp_path: Path) -> None:
    """Naming a file is asking for it: only files found in folders are sorted into specs and others."""
    shutil.copy(REGISTRY, tmp_path / "organs.yaml")
    result = en("build", "organs.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("organs.yaml:")
    assert not (tmp_path / "organs.docx").exists()


def test_build_dot_in_a_folder_of_examples_and_registry_files(tmp_path: Path) -> None:
    """``gen-directive build .`` used to crash with an internal ValueError."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    shutil.copytree(ROOT / "data" / "organs", tmp_path / "organs")
    result = en("build", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    specs = sorted((tmp_path / "examples").rglob("*.yaml"))
    expected = [str(s.relative_to(tmp_path).with_suffix(".docx")) for s in specs]
    assert sorted(result.stdout.splitlines()) == sorted(expected)
    registries = sorted((tmp_path / "organs").glob("*.yaml"))
    assert result.stderr.splitlines()[:-1] == [SKIP_NOTE.format(file=f"organs/{r.name}") for r in registries]
    assert summary(result) == (len(specs), 0, len(registries))
    assert all((tmp_path / e).is_file() for e in expected)


def test_a_folder_without_specs(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    shutil.copy(REGISTRY, tmp_path / "empty" / "organs.yaml")
    result = en("build", "empty", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [SKIP_NOTE.format(file="empty/organs.yaml"),
                                          "empty: no spec found (a spec is a .yaml or .yml file)."]


# --------------------------------------------------------------------------------------------------
# Failures, exit codes, the JSON report, determinism


def test_failures_are_reported_in_input_order_and_the_run_goes_on(tmp_path: Path) -> None:
    for name in ("1-good", "3-good", "5-good"):
        shutil.copy(SPEC, tmp_path / f"{name}.yaml")
    (tmp_path / "2-empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "4-list.yaml").write_text("type: huong-dan\ndate: 2023-06-05\nbody: [1, 2]\n", encoding="utf-8")
    names = sorted(p.name for p in tmp_path.glob("*.yaml"))
    result = en("build", *names, "-j", "2", "--out-dir", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["out/1-good.docx", "out/3-good.docx", "out/5-good.docx"]
    errors = result.stderr.splitlines()[:-1]
    assert errors[0] == "2-empty.yaml:1:1: the file is empty; a spec is a mapping of keys such as type, issuer, date, body."
    assert errors[1:] and all(line.startswith("4-list.yaml:") for line in errors[1:])
    assert summary(result) == (3, 2, 0)


def test_all_good_exits_0_and_a_missing_file_is_a_reported_failure(tmp_path: Path) -> None:
    shutil.copy(SPEC, tmp_path / "a.yaml")
    assert en("build", "a.yaml", "a.yaml", "--out-dir", "o", cwd=tmp_path).returncode == 0  # the same spec once
    result = en("build", "a.yaml", "missing.yaml", "--out-dir", "o", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("missing.yaml: ")


def test_json_report_has_one_record_per_spec(tmp_path: Path) -> None:
    shutil.copy(SPEC, tmp_path / "good.yaml")
    (tmp_path / "bad.yaml").write_text("type: huong-dan\nnumbr: 3\n", encoding="utf-8")
    result = en("build", "good.yaml", "bad.yaml", "--out-dir", "out", "--report", "json", cwd=tmp_path)
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert [sorted(r) for r in records] == [["messages", "ok", "output", "pdf", "seconds", "spec", "warnings"]] * 2
    good, bad = records
    assert (good["spec"], good["output"], good["ok"], good["messages"], good["pdf"]) == ("good.yaml", "out/good.docx", True, [], None)
    assert isinstance(good["seconds"], float) and 0 < good["seconds"] < 60
    assert isinstance(good["warnings"], list)
    assert (bad["spec"], bad["output"], bad["ok"]) == ("bad.yaml", "out/bad.docx", False)
    assert 'bad.yaml:2:1: numbr: unknown key "numbr". Did you mean "number"?' in bad["messages"]
    assert all(m.startswith("bad.yaml") for m in bad["messages"])


def test_json_report_for_one_spec(tmp_path: Path) -> None:
    result = en("build", SPEC, "-o", tmp_path / "x.docx", "--report", "json")
    assert result.returncode == 0, result.stderr
    [record] = json.loads(result.stdout)
    assert record["ok"] is True and record["output"] == str(tmp_path / "x.docx")


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    result = en("build", SPEC, "-j", "0")
    assert result.returncode == 2
    assert "Invalid value for '-j' / '--jobs': 0 is not in the range x>=1." in result.stderr


def test_outputs_are_the_same_bytes_whatever_the_number_of_workers(tmp_path: Path) -> None:
    one = en("build", EXAMPLES, "--out-dir", tmp_path / "j1", "-j", "1")
    two = en("build", EXAMPLES, "--out-dir", tmp_path / "j2", "-j", "2")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert one.stdout.replace("/j1/", "/") == two.stdout.replace("/j2/", "/")
    files = sorted(p.relative_to(tmp_path / "j1") for p in (tmp_path / "j1").rglob("*.docx"))
    assert len(files) == len(list(EXAMPLES.rglob("*.yaml")))
    for name in files:
        assert (tmp_path / "j1" / name).read_bytes() == (tmp_path / "j2" / name).read_bytes(), name


def test_a_batch_sweeps_what_a_dead_run_left_beside_its_outputs(tmp_path: Path) -> None:
    """Leftovers are swept once per output folder before the batch (not once per document): a dead run's
    temporary file goes, a recent one (a concurrent run may be writing it) and other files stay."""
    import time

    specs = tmp_path / "specs"
    specs.mkdir()
    for name in ("a", "b", "c"):
        shutil.copy(SPEC, specs / f"{name}.yaml")
    out = tmp_path / "out"
    out.mkdir()
    stale, young, other = out / ".a.docx.x1y2.tmp", out / ".b.docx.z3w4.tmp", out / ".notes.txt.q5.tmp"
    for path in (stale, young, other):
        path.write_bytes(b"half")
    old = time.time() - 3600
    for path in (stale, other):
        os.utime(path, (old, old))
    result = en("build", specs, "--out-dir", out, "-j", "2")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".b.docx.z3w4.tmp", ".notes.txt.q5.tmp", "a.docx", "b.docx", "c.docx"]


# --------------------------------------------------------------------------------------------------
# Progress bar: on a terminal only


def _run_with_terminal_stderr(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal (stdout a pipe); returns (exit code, stdout, terminal text)."""
    master, slave = pty.openpty()
    env = {**os.environ, "LANG": "C.UTF-8", "COLUMNS": "100"}
    env.pop("LC_ALL", None)
    process = subprocess.Popen([*gen_directive(), *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    terminal = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            process.kill()
            raise AssertionError("no output for 120 s")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        terminal += chunk
    os.close(master)
    stdout = process.stdout.read().decode() if process.stdout else ""
    return process.wait(timeout=120), stdout, terminal.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    for index in range(4):
        shutil.copy(SPEC, tmp_path / f"s{index}.yaml")
    (tmp_path / "bad.yaml").write_text("type: huong-dan\n", encoding="utf-8")
    code, stdout, terminal = _run_with_terminal_stderr(["--lang", "en", "build", ".", "--out-dir", "out", "-j", "2"], tmp_path)
    assert code == 1
    assert stdout.splitlines() == [f"out/s{index}.docx" for index in range(4)]
    bar = re.findall(r"Building.*?(\d+)/5\s+([\d.]+) documents/s, (\d) failed", terminal)
    assert bar and bar[-1][0] == "5" and bar[-1][2] == "1", terminal
    assert "\r" in terminal
    assert "bad.yaml:" in terminal and SUMMARY.search(terminal)
    # the same run without a terminal: no bar, nothing but the report
    result = en("build", ".", "--out-dir", "out", "-j", "2", cwd=tmp_path)
    assert "Building" not in result.stderr and "\r" not in result.stderr and "documents/s," not in result.stderr
    assert summary(result) == (4, 1, 0)


# --------------------------------------------------------------------------------------------------
# A worker that dies


@pytest.mark.parametrize("count, crash", [(6, 2), (40, 17)])  # one spec per task; several specs per task
def test_a_worker_that_dies_is_a_reported_failure_not_a_hang(tmp_path: Path, count: int, crash: int) -> None:
    """The pool breaks when a worker process dies; its spec is found and reported, the others are built."""
    sys.path.insert(0, str(Path(__file__).parent))
    try:
        from batch_workers import crash_on_named_spec
    finally:
        sys.path.pop(0)
    from generator.commands.batch import Job, run_jobs
    from generator.i18n import current_language, set_language

    names = [f"s{index:02d}" if index != crash else "crash" for index in range(count)]
    specs = []
    for name in names:
        shutil.copy(SPEC, tmp_path / f"{name}.yaml")
        specs.append(tmp_path / f"{name}.yaml")
    jobs = [Job(spec, spec.with_suffix(".docx")) for spec in specs]
    seen: dict[int, object] = {}
    before = current_language()
    set_language("en")
    try:
        run_jobs(jobs, 2, lambda index, outcome: seen.__setitem__(index, outcome), language="en", debug=False,
                 worker=crash_on_named_spec)
    finally:
        set_language(before)
    assert sorted(seen) == list(range(count))
    failed = {index: outcome for index, outcome in seen.items() if not outcome.ok}  # type: ignore[attr-defined]
    assert list(failed) == [crash]
    assert failed[crash].messages == [  # type: ignore[attr-defined]
        f"{specs[crash]}: the worker process building it stopped unexpectedly (a crash, or out of memory)."]
    assert all((tmp_path / f"{name}.docx").is_file() for name in names if name != "crash")


def test_an_exception_past_the_worker_function_is_that_specs_failure(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    try:
        from batch_workers import exit_on_named_spec
    finally:
        sys.path.pop(0)
    from generator.commands.batch import Job, run_jobs
    from generator.i18n import current_language, set_language

    specs = []
    for name in ("a", "exit", "c"):
        shutil.copy(SPEC, tmp_path / f"{name}.yaml")
        specs.append(tmp_path / f"{name}.yaml")
    seen: dict[int, object] = {}
    before = current_language()
    set_language("en")
    try:
        run_jobs([Job(spec, spec.with_suffix(".docx")) for spec in specs], 2, lambda index, outcome: seen.__setitem__(index, outcome),
                 language="en", debug=False, worker=exit_on_named_spec)
    finally:
        set_language(before)
    assert [seen[index].ok for index in range(3)] == [True, False, True]  # type: ignore[attr-defined]
    assert seen[1].messages == ["internal error (SystemExit: 3); run again with --debug and report it."]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------------
# PDF in a batch




def test_pdf_batch_one_libreoffice_run_per_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pdf import LibreOfficeMissing, find_soffice

    try:
        find_soffice()
    except LibreOfficeMissing as exc:
        unavailable(exc.message)
    if shutil.which("pdftotext") is None:
        unavailable("pdftotext not found (Debian/Ubuntu: apt-get install poppler-utils)")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    specs = sorted(EXAMPLES.glob("*.yaml"))[:4]
    result = run_cli("--lang", "en", "build", *specs, "--out-dir", tmp_path / "out", "--pdf", "-j", "2",
                     env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    docx = [tmp_path / "out" / s.with_suffix(".docx").name for s in specs]
    assert result.stdout.splitlines() == [str(d) for d in docx] + [str(d.with_suffix(".pdf")) for d in docx]
    for spec, document in zip(specs, docx):
        text = subprocess.run(["pdftotext", str(document.with_suffix(".pdf")), "-"], capture_output=True, text=True, check=True).stdout
        number = re.search(r"^number: (\S+)", spec.read_text(encoding="utf-8"), re.MULTILINE)
        assert number, spec
        assert f"Số {number[1]}-" in text, (spec.name, text[:300])  # each PDF is its own document's
    assert summary(result) == (4, 0, 0)


def test_pdf_batch_json_records_the_pdf_and_its_failure(tmp_path: Path) -> None:
    """A PDF that LibreOffice cannot make is that spec's failure; the other documents keep theirs."""
    shutil.copy(SPEC, tmp_path / "a.yaml")
    shutil.copy(SPEC, tmp_path / "b.yaml")
    result = run_cli("--lang", "en", "build", "a.yaml", "b.yaml", "--pdf", "--report", "json", cwd=tmp_path,
                     env={"GEN_DIRECTIVE_SOFFICE": str(tmp_path / "no-soffice")})
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert [(r["spec"], r["ok"], r["pdf"]) for r in records] == [("a.yaml", False, None), ("b.yaml", False, None)]
    assert records[0]["messages"][0].startswith(f"LibreOffice was not found at {tmp_path / 'no-soffice'}")
    assert (tmp_path / "a.docx").is_file()  # the .docx stays: it was built


@pytest.mark.parametrize("text, is_spec", [
    ("type: huong-dan\nissuer: x\n", True),
    ('\ufeff"date": 2024-01-01\n', True),                      # quoted key, byte-order mark
    ("# comment\nsubject:\n  text\n", True),                   # value on the next lines
    ("organs:\n  a/b:\n    type: x\n    date: 2020-01-01\n", False),  # required names, but not at the top level
    ("- type: huong-dan\n", False),                            # a list
    ("", False),
    ("id: party-hd36\nbody:\n  size: 14\n", False),            # a profile: body is a spec key, not a required one
    ("body: |\n  type: not a key here\n", False),
    ("typed: x\ntype:x\n", False),                             # another key; "type:x" is text, not a key
    ("title: x\n'type' : huong-dan\n", True),
])
def test_what_a_found_yaml_file_must_hold_to_be_built(tmp_path: Path, text: str, is_spec: bool) -> None:
    from generator.commands.batch import not_a_spec, required_spec_keys

    assert required_spec_keys() == {"type", "issuer", "date", "subject", "signature"}
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert (not_a_spec(path, required_spec_keys()) is None) is is_spec


def test_ctrl_c_stops_the_workers_at_once(tmp_path: Path) -> None:
    """Ctrl-C during a parallel batch: exit 130 with "interrupted." promptly (it used to hang), no worker left."""
    import signal
    import time

    for index in range(60):
        shutil.copy(SPEC, tmp_path / f"{index:02d}.yaml")
    env = {**os.environ, "LANG": "C.UTF-8"}
    process = subprocess.Popen([*gen_directive(), "--lang", "en", "build", ".", "--out-dir", "out", "-j", "2"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stdout is not None
    first = process.stdout.readline()  # the pool is running once the first document is reported
    assert first.startswith("out/"), first
    process.send_signal(signal.SIGINT)
    start = time.monotonic()
    try:
        rest, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert time.monotonic() - start < 10
    assert process.returncode == 130
    assert err.endswith("interrupted.\n"), err
    assert len(rest.splitlines()) < 59  # stopped, not finished
    deadline = time.monotonic() + 5
    while _processes_in(tmp_path) and time.monotonic() < deadline:  # the fork server and workers work in tmp_path
        time.sleep(0.1)
    assert _processes_in(tmp_path) == []


def _processes_in(folder: Path) -> list[int]:
    """Processes whose working folder is ``folder`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "cwd") == str(folder):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found
