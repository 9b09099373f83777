"""Memory over a long run: build N documents in one process and sample the resident set size.

    python bench/rss_loop.py N EVERY SPEC.yaml…     # prints JSON: {"docs_per_s": …, "samples": [[i, rss_kib], …]}

Runs with whichever ``generator`` the interpreter imports (bench/bench.py runs it with this branch's and
with the previous release's Python), cycling through the specs, each output written to one of two files
in a temporary folder. Nothing is forced: no gc.collect(), as in a real batch, so what grows is shown.
The first sample is taken after one pass over the specs (warm-up: imports, caches, templates).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main(argv: list[str]) -> int:
    from generator.build import build_document

    count, every, specs = int(argv[0]), int(argv[1]), [Path(arg) for arg in argv[2:]]
    samples: list[list[int]] = []
    with tempfile.TemporaryDirectory() as folder:
        outputs = [Path(folder) / "a.docx", Path(folder) / "b.docx"]
        for spec in specs:  # warm-up pass
            build_document(spec, outputs[0])
        samples.append([0, rss_kib()])
        start = time.perf_counter()
        for index in range(1, count + 1):
            build_document(specs[index % len(specs)], outputs[index % 2])
            if index % every == 0:
                samples.append([index, rss_kib()])
        elapsed = time.perf_counter() - start
    print(json.dumps({"docs_per_s": round(count / elapsed, 1), "samples": samples}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
