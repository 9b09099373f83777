"""Which imports a command pays for: ``python -X importtime`` over several runs, medians per module.

    python bench/importtime.py [--runs 9] [--top 25] -- --help
    python bench/importtime.py -- build examples/002-hoi-nghi-giua-nhiem-ky.yaml -o /tmp/x.docx

Runs this venv's gen-directive console script under ``-X importtime`` (a new process each run) and prints
a Markdown table of the modules with the largest median *cumulative* time (the module and everything it
imported first), with their median self time, plus the median total. On a shared VM single runs vary by
tens of percent; the medians over runs are what to compare.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def one_run(command: list[str]) -> dict[str, tuple[int, int, int]]:
    """module → (self µs, cumulative µs, nesting depth) for one run."""
    result = subprocess.run([sys.executable, "-X", "importtime", *command], capture_output=True, text=True,
                            cwd=tempfile.gettempdir())
    found: dict[str, tuple[int, int, int]] = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.split(":", 1)[1].split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        found[name.strip()] = (int(self_us), int(cumulative_us), depth)
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("args", nargs="*")
    options = parser.parse_args()
    script = str(Path(sys.executable).with_name("gen-directive"))
    runs = [one_run([script, *options.args]) for _ in range(options.runs)]
    names = set().union(*runs)
    rows = []
    for name in names:
        values = [run[name] for run in runs if name in run]
        rows.append((statistics.median(v[1] for v in values), statistics.median(v[0] for v in values), min(v[2] for v in values), name))
    total = statistics.median(sum(v[0] for v in run.values()) for run in runs)
    print(f"`gen-directive {' '.join(options.args)}`: {len(names)} modules, median total import time {total / 1000:.1f} ms "
          f"over {options.runs} runs\n")
    print("| module | cumulative ms | self ms | depth |\n|---|---:|---:|---:|")
    for cumulative, self_us, depth, name in sorted(rows, reverse=True)[: options.top]:
        print(f"| {name} | {cumulative / 1000:.1f} | {self_us / 1000:.1f} | {depth} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
