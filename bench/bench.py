"""Speed of gen-directive, measured: one CLI call (wall time, new process each time) and a 200-document
loop in one process; pandoc turning the same text into a .docx as the yardstick when it is installed.

    python3 bench/bench.py            # prints a Markdown table; figures go into the README
    BENCH_RUNS=40 BENCH_DOCS=200 python3 bench/bench.py

Wall times are medians over BENCH_RUNS runs after 3 warm-up runs (warm OS page cache). Compare figures from
one run only: run-to-run drift on these VMs is about ±8 % (research/perf-baseline.md).
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "002-hoi-nghi-giua-nhiem-ky.yaml"
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
DOCS = int(os.environ.get("BENCH_DOCS", "200"))


def cli_command() -> list[str]:
    beside = Path(sys.executable).with_name("gen-directive")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("gen-directive")
    return [found] if found else [sys.executable, "-m", "generator"]


def wall(command: list[str], runs: int = RUNS, warmup: int = 3) -> list[float]:
    times = []
    for index in range(warmup + runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if index >= warmup:
            times.append((time.perf_counter() - start) * 1000)
    return times


def row(name: str, values: list[float], unit: str = "ms") -> str:
    return f"| {name} | {statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} | {len(values)} | {unit} |"


def pandoc_markdown(docx: Path) -> str:
    """Every paragraph of our generated document, one Markdown paragraph each: the same words for pandoc."""
    from generator.oxml.read import open_docx

    document = open_docx(docx)
    return "\n\n".join(p.text.replace("*", "\\*") for p in document.body.paragraphs if p.text.strip())


def in_process_loop(count: int) -> tuple[float, float]:
    """Build ``count`` documents (every example in turn) in one process; returns (ms per doc, docs/s)."""
    from generator.build import build_document

    specs = sorted((ROOT / "examples").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as folder:
        build_document(specs[0], Path(folder) / "warm.docx")
        start = time.perf_counter()
        for index in range(count):
            spec = specs[index % len(specs)]
            build_document(spec, Path(folder) / f"{index}.docx")
            if index % 100 == 99:
                gc.collect()  # python-docx objects die in cycles; collecting keeps RSS flat in long batches
        elapsed = time.perf_counter() - start
    return elapsed / count * 1000, count / elapsed


def main() -> int:
    out = Path(tempfile.mkdtemp())
    lines = ["| measure | median | min | max | n | unit |", "|---|---:|---:|---:|---:|---|"]
    lines.append(row(f"`python -c pass` (interpreter floor)", wall([sys.executable, "-c", "pass"])))
    lines.append(row(f"`gen-directive {EXAMPLE.name} -o out.docx` (one CLI call)", wall([*cli_command(), str(EXAMPLE), "-o", str(out / "cli.docx")])))
    lines.append(row("`gen-directive --help`", wall([*cli_command(), "--help"])))
    pandoc = shutil.which("pandoc")
    if pandoc:
        source = out / "same-text.md"
        source.write_text(pandoc_markdown(out / "cli.docx"), encoding="utf-8")
        lines.append(row("`pandoc same-text.md -o out.docx` (yardstick)", wall([pandoc, str(source), "-o", str(out / "pandoc.docx")])))
    per_doc, rate = in_process_loop(DOCS)
    lines.append(f"| {DOCS}-document loop in one process (all examples in turn) | {per_doc:.1f} | | | {DOCS} | ms/doc |")
    lines.append(f"| same loop, throughput | {rate:.1f} | | | {DOCS} | docs/s |")
    table = "\n".join(lines)
    print(table)
    (Path(__file__).parent / "RESULTS.md").write_text(
        f"# Benchmark results\n\nMachine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}. Command: `python3 bench/bench.py`.\n\n{table}\n",
        encoding="utf-8",
    )
    shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
