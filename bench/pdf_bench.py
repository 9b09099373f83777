"""How long the PDF route takes: one document, a 20-document batch, and the cost per extra document.

    python bench/pdf_bench.py [--runs 9] [--batch 20] [--single 004-ke-hoach-nq57] [--json out.json]

Prints a Markdown section (machine notes + table) ready for ``bench/PDF_FIGURES.md``.

How it measures, and why:

* Documents are the project's own examples, built once with ``generator.build.build_document``; the
  batch cycles through them to 20 distinct files (different sizes, like a real batch).
* Every variant runs once as a warm-up (OS page cache warm, seed profile created), then the variants
  run **interleaved**, one of each per round: on a shared VM the speed drifts by ±10 % over minutes,
  and interleaving spreads that drift over all variants instead of biasing whichever ran last.
* Wall time is ``time.perf_counter()`` around the call (soffice start to PDFs in place); figures are
  medians over the rounds, with min and max. The per-document marginal is computed per round as
  (batch − single) / (N − 1) and its median reported.
* The seed-profile cache lives in a private ``XDG_CACHE_HOME`` for the run, so the user's cache is
  neither used nor touched.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.build import build_document  # noqa: E402
from generator.pdf import PROFILE_CACHE_ENV, convert_to_pdf, find_soffice, render_png  # noqa: E402


def machine_notes() -> dict[str, str]:
    """What the figures depend on: CPU, cores, memory, versions, load at the start."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kib = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass

    def version(command: list[str]) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=60)
            return (done.stdout or done.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"

    return {
        "cpu": f"{cpu}, {os.cpu_count()} logical CPUs",
        "memory": memory,
        "os": f"{platform.platform()}",
        "python": platform.python_version(),
        "libreoffice": version([find_soffice(), "--version"]),
        "poppler": version(["pdftoppm", "-v"]),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def build_documents(work: Path, batch: int, single: str) -> tuple[Path, list[Path], dict[str, int]]:
    """The single document and the batch (examples cycled to ``batch`` distinct files)."""
    specs = sorted((ROOT / "examples").glob("*.yaml"))
    if not specs:
        raise SystemExit("no examples/*.yaml to build")
    built: dict[str, Path] = {}
    for spec in specs:
        target = work / "built" / f"{spec.stem}.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        build_document(spec, target)
        built[spec.stem] = target
    single_name = single if single in built else next(iter(built))
    one = work / "single" / f"{single_name}.docx"
    one.parent.mkdir(parents=True)
    shutil.copyfile(built[single_name], one)
    names = list(built)
    batch_files = []
    for index in range(batch):
        name = names[index % len(names)]
        copy = work / "batch" / f"{index:02d}-{name}.docx"
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[name], copy)
        batch_files.append(copy)
    pages = {}
    for name in names:
        (pdf,) = convert_to_pdf([built[name]])
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages[name] = int(next(l for l in info.splitlines() if l.startswith("Pages:")).split()[1])
    return one, batch_files, pages


def _cpu_seconds() -> float:
    """CPU time of this process and of every finished descendant (soffice.bin is reaped by its parent,
    oosplash, whose own usage then includes it)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call. CPU time hardly moves when other jobs share the machine,
    so it tells a slow run caused by load from a slow run caused by work."""
    cpu, start = _cpu_seconds(), time.perf_counter()
    action()
    return time.perf_counter() - start, _cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="rounds (each runs every variant once)")
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--single", default="004-ke-hoach-nq57", help="example used for the single-document figures")
    parser.add_argument("--json", type=Path, help="also write the raw timings here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as work_name:
        work = Path(work_name)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")
        notes = machine_notes()
        one, batch_files, pages = build_documents(work, args.batch, args.single)
        soffice = find_soffice()
        raw_profile = work / "raw-profile"
        raw_out = work / "raw-out"

        def single_seeded() -> None:
            os.environ[PROFILE_CACHE_ENV] = "1"
            convert_to_pdf([one])

        def single_cold() -> None:
            os.environ[PROFILE_CACHE_ENV] = "0"
            try:
                convert_to_pdf([one])
            finally:
                os.environ[PROFILE_CACHE_ENV] = "1"

        def batch_seeded() -> None:
            os.environ[PROFILE_CACHE_ENV] = "1"
            convert_to_pdf(batch_files)

        def raw_soffice_reused_profile() -> None:
            # The floor: bare soffice, one long-lived profile (what perf-baseline.md timed), no staging.
            subprocess.run(
                [soffice, f"-env:UserInstallation={raw_profile.as_uri()}", "--headless", "--convert-to", "pdf",
                 "--outdir", str(raw_out), str(one)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=120,
            )

        def cli_spec_to_docx_and_pdf() -> None:
            # What a clerk runs: a new Python process, spec → .docx → PDF.
            spec = ROOT / "examples" / f"{one.stem}.yaml"
            subprocess.run(
                [sys.executable, "-m", "generator", str(spec), "-o", str(work / "cli" / f"{one.stem}.docx"), "--pdf"],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=120,
            )

        single_pdf = one.with_suffix(".pdf")

        def png_pages() -> None:
            render_png(single_pdf, work / "png", dpi=60)

        (work / "cli").mkdir()
        variants: dict[str, Callable[[], None]] = {
            "single_seeded": single_seeded,
            "single_cold": single_cold,
            "batch_seeded": batch_seeded,
            "raw_soffice": raw_soffice_reused_profile,
            "cli_pdf": cli_spec_to_docx_and_pdf,
            "png": png_pages,
        }
        for name, action in list(variants.items()):  # warm-up: page cache, seed profile, raw profile
            try:
                action()
            except subprocess.CalledProcessError:
                if name != "cli_pdf":
                    raise
                # The CLI row is a bonus: without a working `--pdf` the library figures still stand.
                print("note: `python -m generator ... --pdf` failed; CLI row left out", file=sys.stderr)
                del variants[name]
        samples: dict[str, list[float]] = {name: [] for name in variants}
        cpu: dict[str, list[float]] = {name: [] for name in variants}
        for _round in range(args.runs):
            for name, action in variants.items():
                wall, used = timed(action)
                samples[name].append(wall)
                cpu[name].append(used)
        notes["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    n = args.batch
    marginal = [(b - s) / (n - 1) for b, s in zip(samples["batch_seeded"], samples["single_seeded"])]
    per_doc = [b / n for b in samples["batch_seeded"]]

    def row(label: str, values: list[float], unit: str = "s", scale: float = 1.0, cpu_values: list[float] | None = None) -> str:
        med, lo, hi = statistics.median(values) * scale, min(values) * scale, max(values) * scale
        fmt = "{:.2f}" if unit == "s" else "{:.0f}"
        used = f"{fmt.format(statistics.median(cpu_values) * scale)} {unit}" if cpu_values else ""
        return f"| {label} | **{fmt.format(med)} {unit}** | {fmt.format(lo)} | {fmt.format(hi)} | {len(values)} | {used} |"

    cpu_marginal = [(b - s) / (n - 1) for b, s in zip(cpu["batch_seeded"], cpu["single_seeded"])]

    single_pages = pages.get(one.stem, "?")
    batch_pages = sum(pages[f.stem.split("-", 1)[1]] for f in batch_files)
    lines = [
        "### Machine",
        "",
        *(f"- {key}: {value}" for key, value in notes.items()),
        "",
        f"Single document: `examples/{one.stem}.yaml` ({single_pages} pages). Batch: {n} documents cycling "
        f"through the {len(pages)} examples ({batch_pages} pages in all). Medians of {args.runs} interleaved "
        "rounds after one warm-up round; wall time of the call (`time.perf_counter()`) and CPU time "
        "(user + sys of this process and every finished child, from `getrusage`).",
        "",
        "| measure | median wall | min | max | n | median CPU |",
        "|---|---:|---:|---:|---:|---:|",
        row("`convert_to_pdf([one])` — 1 PDF, seeded throwaway profile (every run after the first)", samples["single_seeded"], cpu_values=cpu["single_seeded"]),
        row("`convert_to_pdf([one])` — 1 PDF, empty throwaway profile (first run ever, or cache off)", samples["single_cold"], cpu_values=cpu["single_cold"]),
        row(f"`convert_to_pdf(batch)` — {n} PDFs in one soffice process", samples["batch_seeded"], cpu_values=cpu["batch_seeded"]),
        row(f"  → per document in the {n}-document batch", per_doc, "ms", 1000, [c / n for c in cpu["batch_seeded"]]),
        row("  → marginal cost of each extra document, (batch − single) / (N − 1)", marginal, "ms", 1000, cpu_marginal),
        row("floor: bare `soffice --convert-to pdf`, one reused profile, no staging", samples["raw_soffice"], cpu_values=cpu["raw_soffice"]),
        *([row("`python -m generator SPEC -o X.docx --pdf` (new process, spec → .docx → .pdf)", samples["cli_pdf"], cpu_values=cpu["cli_pdf"])]
          if samples.get("cli_pdf") else []),
        row(f"`render_png(pdf, dpi=60)` — {single_pages} PNG pages (`pdftoppm -png`)", samples["png"], "ms", 1000, cpu["png"]),
    ]
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps({"notes": notes, "pages": pages, "samples": samples, "cpu": cpu,
                                         "marginal": marginal, "per_doc": per_doc}, indent=1))


if __name__ == "__main__":
    main()
