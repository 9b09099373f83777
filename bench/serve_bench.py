"""How long the editor's preview takes to refresh after an edit (``gen-directive serve``).

    python3 bench/serve_bench.py [RUNS] [PAUSE]

Starts the installed ``gen-directive serve --no-browser --port 0``, loads the largest sample (002: 10 pages)
through the form's endpoint, then edits its trích yếu RUNS times (default 10), each time timing from the
edit being sent (what the page sends once the debounce has passed) to the moment the new pages are ready
to show: the YAML written and validated, the .docx built, converted to PDF by LibreOffice, every page
rendered to PNG and ``check`` run. The first (cold) preview is reported apart. PAUSE seconds (default 0)
pass between the pages of one edit and the next one, as a clerk reads the page before typing on: the
spare LibreOffice (generator/serve/office.py) gets ready meanwhile; with no pause, every other edit
finds it still starting and converts cold.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "examples" / "002-hoi-nghi-giua-nhiem-ky.yaml"


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    pause = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    exe = Path(sys.executable).with_name("gen-directive")
    process = subprocess.Popen([str(exe), "serve", "--no-browser", "--port", "0"], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    port = int(re.search(r":(\d+)/", process.stdout.readline()).group(1))  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}"
    try:
        page = urllib.request.urlopen(base + "/").read().decode()
        token = re.search(r'name="gd-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]

        def post(path: str, value: object) -> dict:
            request = urllib.request.Request(base + path, json.dumps(value).encode(), method="POST",
                                             headers={"Content-Type": "application/json", "X-Gen-Directive-Token": token})
            return json.loads(urllib.request.urlopen(request).read())

        def preview(session: str, rev: int) -> dict:
            while True:
                answer = json.loads(urllib.request.urlopen(f"{base}/api/preview?session={session}&rev={rev}&wait=1").read())
                if answer["state"] != "pending":
                    return answer

        from generator.loader import load_yaml
        from generator.serve.specdata import json_values

        values = json_values(load_yaml(SPEC).data)
        session = post("/api/session", {})["session"]
        started = time.perf_counter()
        answer = post("/api/spec", {"session": session, "values": values})
        result = preview(session, answer["rev"])
        print(f"cold: {time.perf_counter() - started:.2f} s ({len(result['pages'])} pages, {result['state']})")
        times = []
        for run in range(runs):
            time.sleep(pause)
            values["subject"] = f"tuyên truyền kết quả Hội nghị lần {run}\nBan Chấp hành Trung ương Đảng giữa nhiệm kỳ khóa XIII\n"
            started = time.perf_counter()
            answer = post("/api/spec", {"session": session, "values": values})
            result = preview(session, answer["rev"])
            elapsed = time.perf_counter() - started
            assert result["state"] == "done" and len(result["pages"]) == 10, result
            times.append(elapsed)
            steps = ", ".join(f"{k} {v:.2f}" for k, v in result["timings"].items())
            print(f"edit {run + 1}: {elapsed:.2f} s ({steps})")
        print(f"median {statistics.median(times):.2f} s, min {min(times):.2f}, max {max(times):.2f}, n {len(times)}")
        with open("/proc/loadavg") as stream:
            print("load average during the run:", stream.read().split()[0])
    finally:
        process.terminate()
        process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
