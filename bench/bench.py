"""Speed and memory of gen-directive, side by side in one run with its yardsticks:

* **pandoc** turning the same text into a .docx (one CLI call),
* **the floor** (bench/floor.py: load the YAML, render one template, zip, write) for batches,
* **the previous release**, installed in a venv of its own (``BENCH_PREV``, see bench/README.md).

    BENCH_PREV=/work/venvs/prev/bin/gen-directive python bench/bench.py

run with the Python of the venv that holds the gen-directive under test (its console script beside
``sys.executable`` is what is timed). Prints one Markdown table and writes it to bench/RESULTS.md.

Knobs (environment): BENCH_RUNS (single calls per variant, default 30), BENCH_BATCH (specs in a batch,
default 204: the examples repeated), BENCH_BIG_BATCH (default 5 × BENCH_BATCH; 0 skips: how -j 2 scales once
the command's start-up is a smaller share), BENCH_BATCH_RUNS (default 3), BENCH_RSS_DOCS (default 10000; 0 skips),
BENCH_PDFS (default 20; 0 skips), BENCH_PDF_RUNS (default 2).

How it measures: wall time of whole commands (a new process each time, as a clerk or a CI job runs them),
after warm-up runs (OS page cache, LibreOffice seed profile); variants are **interleaved** round by round so
the drift of a shared VM (±10 % over minutes) spreads over all of them instead of biasing one; figures are
medians (min–max). Batch rates count the whole command, start-up included. Memory: bench/rss_loop.py builds
BENCH_RSS_DOCS documents in one process of each version and samples VmRSS.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
EXAMPLE = ROOT / "examples" / "002-hoi-nghi-giua-nhiem-ky.yaml"
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
BATCH = int(os.environ.get("BENCH_BATCH", "204"))
BIG_BATCH = int(os.environ.get("BENCH_BIG_BATCH", str(5 * BATCH)))
BATCH_RUNS = int(os.environ.get("BENCH_BATCH_RUNS", "3"))
RSS_DOCS = int(os.environ.get("BENCH_RSS_DOCS", "10000"))
PDFS = int(os.environ.get("BENCH_PDFS", "20"))
PDF_RUNS = int(os.environ.get("BENCH_PDF_RUNS", "2"))
QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def ours() -> list[str]:
    beside = Path(sys.executable).with_name("gen-directive")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("gen-directive")
    return [found] if found else [sys.executable, "-m", "generator"]


def previous() -> list[str] | None:
    path = os.environ.get("BENCH_PREV", "")
    return [path] if path and Path(path).exists() else None


# The previous release runs on the examples as they were in it (BENCH_PREV_REV): today's may use keys it
# does not know.
PREV_REV = os.environ.get("BENCH_PREV_REV", "09f51da")


def previous_examples(work: Path) -> Path:
    target = work / "prev-src"
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREV_REV, "examples"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "examples"


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one command, which must succeed."""
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, **QUIET)
    return time.perf_counter() - start


def interleaved(variants: dict[str, Callable[[], float]], runs: int, warmup: int = 1) -> dict[str, list[float]]:
    """Run every variant once per round, ``runs`` rounds after ``warmup`` rounds; returns the values."""
    values: dict[str, list[float]] = {name: [] for name in variants}
    for round_index in range(warmup + runs):
        for name, run in variants.items():
            value = run()
            if round_index >= warmup:
                values[name].append(value)
    return values


def spread(values: list[float], digits: int = 1) -> str:
    if not values:
        return "—"
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def pandoc_markdown(docx: Path) -> str:
    """Every paragraph of our generated document, one Markdown paragraph each: the same words for pandoc."""
    from generator.oxml.read import open_docx

    document = open_docx(docx)
    return "\n\n".join(p.text.replace("*", "\\*") for p in document.body.paragraphs if p.text.strip())


def spec_folder(folder: Path, count: int, examples_root: Path = ROOT / "examples") -> list[Path]:
    """``count`` specs: every example (the chain too) in turn, copied under distinct names into one folder."""
    examples = sorted(examples_root.rglob("*.yaml"))
    folder.mkdir(parents=True, exist_ok=True)
    specs = []
    for index in range(count):
        source = examples[index % len(examples)]
        target = folder / f"{index:04d}-{source.name}"
        shutil.copyfile(source, target)
        specs.append(target)
    return specs


def python_of(console_script: list[str]) -> str:
    """The interpreter of a console script's venv."""
    return str(Path(console_script[0]).with_name("python")) if Path(console_script[0]).name == "gen-directive" else sys.executable


def rss_run(python: str, specs: list[Path]) -> dict:
    result = subprocess.run([python, str(BENCH / "rss_loop.py"), str(RSS_DOCS), str(max(RSS_DOCS // 10, 1)), *map(str, specs)],
                            check=True, capture_output=True, text=True, cwd=tempfile.gettempdir())
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="gen-directive-bench-"))
    cache = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}  # LibreOffice seed profile: private to the run
    me, prev, pandoc = ours(), previous(), shutil.which("pandoc")
    rows: list[str] = []

    def row(measure: str, mine: str, before: str = "—", yardstick: str = "—", unit: str = "") -> None:
        rows.append(f"| {measure} | {mine} | {before} | {yardstick} | {unit} |")

    # -- one call -----------------------------------------------------------------------------------
    subprocess.run([*me, str(EXAMPLE), "-o", str(work / "cli.docx")], check=True, **QUIET)
    singles: dict[str, Callable[[], float]] = {
        "python": lambda: timed([sys.executable, "-c", "pass"]),
        "ours": lambda: timed([*me, str(EXAMPLE), "-o", str(work / "cli.docx")]),
        "ours-help": lambda: timed([*me, "--help"]),
    }
    prev_examples = previous_examples(work) if prev else ROOT / "examples"
    if prev:
        singles["prev"] = lambda: timed([*prev, str(prev_examples / EXAMPLE.name), "-o", str(work / "prev.docx")])
        singles["prev-help"] = lambda: timed([*prev, "--help"])
    if pandoc:
        source = work / "same-text.md"
        source.write_text(pandoc_markdown(work / "cli.docx"), encoding="utf-8")
        singles["pandoc"] = lambda: timed([pandoc, str(source), "-o", str(work / "pandoc.docx")])
    ms = {name: [v * 1000 for v in values] for name, values in interleaved(singles, RUNS, warmup=3).items()}
    row("`python -c pass` (interpreter start)", spread(ms["python"]), unit="ms")
    row(f"one CLI call: `gen-directive {EXAMPLE.name} -o out.docx` (pandoc: the same text, .md → .docx)",
        spread(ms["ours"]), spread(ms.get("prev", [])), spread(ms.get("pandoc", [])), "ms")
    if pandoc:
        row("one CLI call ÷ pandoc", f"{statistics.median(ms['ours']) / statistics.median(ms['pandoc']):.2f}",
            f"{statistics.median(ms['prev']) / statistics.median(ms['pandoc']):.2f}" if prev else "—", "1.00", "×")
    row("`gen-directive --help`", spread(ms["ours-help"]), spread(ms.get("prev-help", [])), unit="ms")

    # -- batches ------------------------------------------------------------------------------------
    specs = spec_folder(work / "specs", BATCH)
    prev_specs = spec_folder(work / "prev-specs", BATCH, prev_examples) if prev else []
    rate = lambda seconds: BATCH / seconds  # noqa: E731
    batches: dict[str, Callable[[], float]] = {
        "ours-j1": lambda: rate(timed([*me, "build", str(work / "specs"), "--out-dir", str(work / "o1"), "-j", "1"])),
        "ours-j2": lambda: rate(timed([*me, "build", str(work / "specs"), "--out-dir", str(work / "o2"), "-j", "2"])),
        "floor": lambda: rate(timed([sys.executable, str(BENCH / "floor.py"), str(work / "of"), *map(str, specs)])),
    }
    if prev:
        batches["prev"] = lambda: rate(timed([*prev, *map(str, prev_specs), "--out-dir", str(work / "op")]))
    (work / "op").mkdir()
    rates = interleaved(batches, BATCH_RUNS)
    floor = statistics.median(rates["floor"])
    row(f"batch of {BATCH} specs, 1 worker (`build DIR -j 1`; previous: `gen-directive SPEC… --out-dir`; floor: bench/floor.py)",
        spread(rates["ours-j1"]), spread(rates.get("prev", [])), spread(rates["floor"]), "docs/s")
    row(f"batch of {BATCH} specs, `-j 2`", spread(rates["ours-j2"]), unit="docs/s")
    row("1 worker ÷ floor", f"{statistics.median(rates['ours-j1']) / floor:.3f}",
        f"{statistics.median(rates['prev']) / floor:.3f}" if prev else "—", "1.000", "×")
    row("`-j 2` ÷ 1 worker", f"{statistics.median(rates['ours-j2']) / statistics.median(rates['ours-j1']):.2f}", unit="×")
    if BIG_BATCH:
        spec_folder(work / "big-specs", BIG_BATCH)
        big_rate = lambda seconds: BIG_BATCH / seconds  # noqa: E731
        big = interleaved({
            "ours-j1": lambda: big_rate(timed([*me, "build", str(work / "big-specs"), "--out-dir", str(work / "b1"), "-j", "1"])),
            "ours-j2": lambda: big_rate(timed([*me, "build", str(work / "big-specs"), "--out-dir", str(work / "b2"), "-j", "2"])),
        }, BATCH_RUNS)
        row(f"batch of {BIG_BATCH} specs, 1 worker", spread(big["ours-j1"]), unit="docs/s")
        row(f"batch of {BIG_BATCH} specs, `-j 2`", spread(big["ours-j2"]), unit="docs/s")
        row(f"`-j 2` ÷ 1 worker, {BIG_BATCH} specs", f"{statistics.median(big['ours-j2']) / statistics.median(big['ours-j1']):.2f}", unit="×")

    # -- memory -------------------------------------------------------------------------------------
    if RSS_DOCS:
        examples = sorted((ROOT / "examples").rglob("*.yaml"))
        runs = {"ours": rss_run(sys.executable, examples)}
        if prev:
            runs["prev"] = rss_run(python_of(prev), sorted(prev_examples.rglob("*.yaml")))

        def rss(name: str, index: int) -> str:
            return f"{runs[name]['samples'][index][1] / 1024:.1f}" if name in runs else "—"

        def growth(name: str) -> str:
            if name not in runs:
                return "—"
            samples = runs[name]["samples"]
            return f"{(samples[-1][1] - samples[1][1]) / 1024:+.1f}"

        row("RSS after warm-up (one pass over the examples)", rss("ours", 0), rss("prev", 0), unit="MiB")
        row(f"RSS after {RSS_DOCS} documents in one process", rss("ours", -1), rss("prev", -1), unit="MiB")
        row(f"RSS growth from document {RSS_DOCS // 10} to {RSS_DOCS}", growth("ours"), growth("prev"), unit="MiB")
        row("same loop in one process", f"{runs['ours']['docs_per_s']:.1f}",
            f"{runs['prev']['docs_per_s']:.1f}" if prev else "—", unit="docs/s")
        samples_line = {name: " ".join(f"{kib / 1024:.0f}" for _, kib in run["samples"]) for name, run in runs.items()}

    # -- PDF ----------------------------------------------------------------------------------------
    if PDFS and shutil.which("soffice"):
        pdf_specs = [str(s) for s in specs[:PDFS]]
        per_doc = lambda seconds: seconds / PDFS * 1000  # noqa: E731
        pdf_runs: dict[str, Callable[[], float]] = {
            "ours-j1": lambda: per_doc(timed([*me, "build", *pdf_specs, "--out-dir", str(work / "p1"), "--pdf", "-j", "1"], cache)),
            "ours-j2": lambda: per_doc(timed([*me, "build", *pdf_specs, "--out-dir", str(work / "p2"), "--pdf", "-j", "2"], cache)),
        }
        if prev:
            (work / "pp").mkdir()
            pdf_runs["prev"] = lambda: per_doc(timed([*prev, *[str(s) for s in prev_specs[:PDFS]], "--out-dir", str(work / "pp"), "--pdf"], cache))
        pdf_ms = interleaved(pdf_runs, PDF_RUNS)
        row(f"{PDFS} PDFs in one batch (`--pdf`), 1 worker: whole command ÷ {PDFS}", spread(pdf_ms["ours-j1"], 0),
            spread(pdf_ms.get("prev", []), 0), unit="ms/doc")
        row(f"{PDFS} PDFs in one batch, `-j 2` (two LibreOffice runs)", spread(pdf_ms["ours-j2"], 0), unit="ms/doc")

    header = ["| measure | this build | previous release | yardstick (pandoc / floor) | unit |", "|---|---:|---:|---:|---|"]
    table = "\n".join(header + rows)
    notes = [f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average at the end "
             f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}. Previous release: {prev[0] if prev else 'not given (BENCH_PREV)'}."]
    if RSS_DOCS:
        notes += [f"RSS samples (MiB) every {max(RSS_DOCS // 10, 1)} documents, {name}: {line}" for name, line in samples_line.items()]
    text = table + "\n\n" + "\n".join(f"- {note}" for note in notes)
    print(text)
    (BENCH / "RESULTS.md").write_text(f"# Benchmark results\n\nCommand: `BENCH_PREV=… python bench/bench.py` (bench/README.md).\n\n{text}\n",
                                      encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
