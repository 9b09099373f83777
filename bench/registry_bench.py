"""Speed and size of the country-wide registry (data/registry/), measured.

    python3 bench/registry_bench.py           # prints a Markdown table
    BENCH_RUNS=30 python3 bench/registry_bench.py

* the shipped registry (data/organs/*.yaml, with the generated fields of the organs they also define), as
  every build reads it, against the same without the generated data: a new process each run;
* a lookup of a generated organ anywhere in the country: the first in its province (one shard read) and the
  next ones;
* a name search (``gen-directive organs "binh lu"``), in process and as a CLI call;
* the size of the generated data as installed.

Medians over BENCH_RUNS runs; run-to-run drift on these shared VMs is large, compare figures of one run.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "20"))

SHIPPED = """
import time, sys
from generator import registry as r, country
import generator.resolve, encodings.idna
if sys.argv[1] == "without":
    r.country.has = lambda organ_id: False
t = time.perf_counter(); r.shipped(); print((time.perf_counter() - t) * 1000)
"""


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ms"


def in_new_process(code: str, *args: str) -> float:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd="/tmp")
    return float(out.stdout.strip())


def main() -> None:
    from generator import country
    from generator.commands.organs import find
    from generator.registry import shipped

    rows: list[tuple[str, str]] = []
    with_generated, without = [], []
    for _ in range(RUNS):
        with_generated.append(in_new_process(SHIPPED, "with"))
        without.append(in_new_process(SHIPPED, "without"))
    rows.append(("shipped registry, as a build reads it (new process)", median_ms(with_generated)))
    rows.append(("the same without the generated data", median_ms(without)))

    registry = shipped()
    rng = random.Random(12)
    ids = country.ids()
    sample = rng.sample(ids, 200)
    first, next_ = [], []
    for organ_id in sample:
        country.shard.cache_clear()
        registry.organs.pop(organ_id, None)
        t = time.perf_counter()
        assert registry.get(organ_id) is not None
        first.append((time.perf_counter() - t) * 1000)
        registry.organs.pop(organ_id, None)
        t = time.perf_counter()
        registry.get(organ_id)
        next_.append((time.perf_counter() - t) * 1000)
    rows.append(("lookup of a generated organ, first in its province (shard read)", f"{statistics.median(first):.2f} ms (max {max(first):.1f})"))
    rows.append(("lookup of a generated organ, shard already read", f"{statistics.median(next_):.3f} ms"))

    searches = []
    for _ in range(max(3, RUNS // 4)):
        country.shard.cache_clear()
        fresh = shipped.__wrapped__()
        t = time.perf_counter()
        found = find(fresh, "binh lu", None)
        searches.append((time.perf_counter() - t) * 1000)
    assert [o.id for o in found] == ["lai-chau/dang-uy-xa-binh-lu", "lai-chau/ubnd-xa-binh-lu"], [o.id for o in found]
    rows.append(('name search "binh lu", in process, shards unread', median_ms(searches)))

    exe = Path(sys.executable).with_name("gen-directive")
    cli = []
    for _ in range(max(3, RUNS // 4)):
        t = time.perf_counter()
        subprocess.run([str(exe), "organs", "binh lu"], capture_output=True, check=True, cwd="/tmp")
        cli.append((time.perf_counter() - t) * 1000)
    rows.append(('gen-directive organs "binh lu" (CLI, wall)', median_ms(cli)))

    size = sum(p.stat().st_size for p in country.COUNTRY_DIR.glob("*") if p.suffix in (".json", ".txt"))
    rows.append((f"generated data installed ({len(list(country.COUNTRY_DIR.glob('*.json')))} files)", f"{size / 1e6:.2f} MB"))
    rows.append(("generated organs", str(len(ids))))

    print("| measure | figure |\n|---|---|")
    for name, figure in rows:
        print(f"| {name} | {figure} |")


if __name__ == "__main__":
    main()
