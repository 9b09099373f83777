"""Fuzz targets for the untrusted surfaces: a spec, a registry file, a parent text, a .docx (``check``) and
a .docx given to ``init`` as the parent.

Each input is a *mutation* of a real seed (the examples, the shipped registry files, the golden text dumps,
a document built from an example), so most inputs get deep into the pipeline instead of failing at the
first byte. Mutations are the hostile shapes of issue 14 (Jinja loops and growth, aliases, deep nesting,
footnote openers, combining marks, control characters, surrogates, absurd numbers, XML depth and size…)
mixed with plain byte and line edits.

An outcome is one of:

* ``ok`` or ``refused`` (a :class:`~generator.errors.GeneratorError`: a message for the clerk) — fine;
* ``internal`` — any other exception: a defect;
* ``evaluated`` — a parent's ``{{`` reached the child spec unescaped (lost or evaluated text in a built
  document is the business of the property tests, ``tests/test_properties.py``);
* ``hang`` / ``memory`` — over the time limit (5 s, SIGALRM) or the memory limit (the worker runs under
  ``RLIMIT_AS`` = 500 MB, so an input needing more ends in MemoryError).

Small budget (CI): ``tests/test_fuzz.py`` (hypothesis, ``FUZZ_EXAMPLES`` per surface, 40 by default).
Large budget (documented in the README): ``python tests/fuzz_targets.py --surface all --count 10000``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import resource
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SURFACES = ("spec", "registry", "parent", "docx", "parent-docx")
TIME_LIMIT_SECONDS = 5
MEMORY_LIMIT_BYTES = 500 * 1024 * 1024

HOSTILE_SNIPPETS = [
    "{{ 7*7 }}", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{{ 'x'.ljust(999999999) }}", "{{ '%*s' % (999999999, 'x') }}", "{{ 'x' * 99999 * 99999 }}",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "{{ lipsum(100000) }}", "{{ 7 ** 7 ** 7 ** 7 }}",
    "{{ '\\ud800' }}", "{{ '\\x00' }}", "{{ '{:>999999999}'.format(1) }}", "{% set s = 'x' * 99999 %}{{ (s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s) }}",
    "[^" * 2000, "[^a]" * 200, "- " * 300, ">" * 60, "  " * 40 + "- x", "*" * 500, "_" * 500, "\\" * 50,
    "a" + "\u0301" * 40, "\u0301\u0323" * 2000, "\x00", "\x1b[2J", "\x85", "\u2028", "\ufeff", "\ud800",
    "&a [x]", "*a", "!!python/object/apply:os.system ['true']", "<<: *a", "? [a]", "{a: [b, {c: [d]}]}",
    "9" * 5000, "1e400", "-0", "0x1F", "2023-02-30", "  \t  ", "\r\n", "'", '"', "|", ">-", "#", "---", "...",
    "/etc/passwd", "../../x", "~/x", "C:\\x",
]
DOCX_SNIPPETS = [
    "<w:r><w:t>x</w:t></w:r>" * 6000, "<w:ins>" * 300 + "</w:ins>" * 300, '<w:sym w:char="1B"/>', '<w:sym w:char="FFFFFFFFFFFF"/>',
    '<w:spacing w:before="' + "9" * 5000 + '" w:after="1e400" w:line="inf"/>', '<w:sz w:val="-99999999999999"/>',
    '<w:pgSz w:w="1e308" w:h="nan"/>', '<w:ind w:left="99999999999999999999"/>', "<w:t>\u0301" * 50 + "</w:t>" * 50,
    '<w:fldSimple w:instr="INCLUDEPICTURE http://192.0.2.1/x.png"/>', "<w:p>" + "<w:r><w:t>a</w:t></w:r>" * 100 + "</w:p>",
]


# --------------------------------------------------------------------------------------------------
# Seeds


def seeds(surface: str) -> list[bytes]:
    if surface == "spec":
        return [p.read_bytes() for p in sorted((ROOT / "examples").glob("*.yaml"))]
    if surface == "registry":
        return [p.read_bytes() for p in sorted((ROOT / "data" / "organs").glob("*.yaml"))]
    if surface == "parent":
        return [p.read_bytes() for p in sorted((ROOT / "tests" / "golden").glob("*.txt"))]
    if surface in ("docx", "parent-docx"):
        return [_built_docx()]
    raise ValueError(surface)


_DOCX_CACHE: list[bytes] = []


def _built_docx() -> bytes:
    if not _DOCX_CACHE:
        from generator.build import build_document

        with tempfile.TemporaryDirectory() as name:
            spec = sorted((ROOT / "examples").glob("*.yaml"))[0]
            out = Path(name) / "seed.docx"
            build_document(spec, out)
            _DOCX_CACHE.append(out.read_bytes())
    return _DOCX_CACHE[0]


# --------------------------------------------------------------------------------------------------
# Mutations


def mutate_text(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        lines = text.split("\n")
        at = rng.randrange(len(lines)) if lines else 0
        if choice < 0.45:  # a hostile snippet inside a line (often inside a value)
            line = lines[at] if lines else ""
            cut = rng.randint(0, len(line))
            lines[at] = line[:cut] + rng.choice(HOSTILE_SNIPPETS) + line[cut:]
        elif choice < 0.55 and lines:  # a line repeated (aliases, lists, long texts)
            lines[at:at] = [lines[at]] * rng.choice([2, 10, 200])
        elif choice < 0.65 and lines:
            del lines[at]
        elif choice < 0.75 and lines:  # indentation changed
            lines[at] = " " * rng.choice([0, 1, 2, 4, 8, 80]) + lines[at].lstrip()
        elif choice < 0.85 and text:  # a random character replaced
            position = rng.randrange(len(text))
            return text[:position] + chr(rng.choice([0, 9, 10, 27, 0x85, 0x301, 0x2028, 0xFFFE, rng.randrange(0x20, 0x2FFF)])) + text[position + 1:]
        elif choice < 0.92 and lines:  # an alias bomb
            lines.append("x-bomb: &b " + json.dumps("y" * rng.choice([10, 10_000, 100_000])))
            lines.append("x-many: [" + ", ".join(["*b"] * rng.choice([10, 1000, 10_000])) + "]")
        else:  # deep nesting
            depth = rng.choice([5, 50, 500, 5000])
            lines.append("x-deep: " + "[" * depth + "]" * depth)
        text = "\n".join(lines)
    return text


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.15 and data:  # a few raw bytes flipped (encoding errors, BOMs)
        buffer = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            buffer[rng.randrange(len(buffer))] = rng.randrange(256)
        return bytes(buffer)
    return mutate_text(data.decode("utf-8", "surrogateescape"), rng).encode("utf-8", "surrogatepass")


def mutate_docx(data: bytes, rng: random.Random) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {info.filename: source.read(info) for info in source.infolist()}
    choice = rng.random()
    if choice < 0.6:
        name = rng.choice([n for n in members if n.endswith(".xml")])
        xml = members[name].decode("utf-8")
        for _ in range(rng.randint(1, 3)):
            cut = [m.end() for m in re.finditer(r"<w:(?:p|r|pPr|rPr|body)>", xml)] or [len(xml) // 2]
            at = rng.choice(cut)
            snippet = rng.choice(DOCX_SNIPPETS) if rng.random() < 0.7 else "<w:r><w:t>" + rng.choice(HOSTILE_SNIPPETS).replace("<", "&lt;").replace("&", "&amp;") + "</w:t></w:r>"
            xml = xml[:at] + snippet + xml[at:]
        members[name] = xml.encode("utf-8", "surrogatepass")
    elif choice < 0.7:  # an external picture relationship
        rels = "word/_rels/document.xml.rels"
        members[rels] = members[rels].replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://192.0.2.1/x.png" TargetMode="External"/></Relationships>')
    elif choice < 0.8:  # a DTD
        members["word/document.xml"] = members["word/document.xml"].replace(b"?>", b'?><!DOCTYPE d [<!ENTITY a "aaaa">]>', 1)
    elif choice < 0.9:  # bytes of a part damaged
        name = rng.choice(list(members))
        blob = bytearray(members[name])
        if blob:
            for _ in range(rng.randint(1, 10)):
                blob[rng.randrange(len(blob))] = rng.randrange(256)
        members[name] = bytes(blob)
    else:  # the package itself truncated
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, blob in members.items():
                archive.writestr(name, blob)
        raw = out.getvalue()
        return raw[: rng.randrange(len(raw))]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members.items():
            archive.writestr(name, blob)
    return out.getvalue()


def make_input(surface: str, rng: random.Random, beside_shipped: bool = False) -> bytes:
    """One mutated seed. ``beside_shipped``: a registry file that is added to the shipped ones, so its
    organ ids are renamed (``lai-chau/…`` → ``xlai-chau/…``) instead of clashing with them."""
    choices = seeds(surface)
    if beside_shipped and surface == "registry":
        choices = [re.sub(rb"(?<![\w/-])(lai-chau|can-tho|binh-duong)/", rb"x\1/", seed) for seed in choices if b"\n  tw:" not in seed]
    base = rng.choice(choices)
    return mutate_docx(base, rng) if surface in ("docx", "parent-docx") else mutate_bytes(base, rng)


# --------------------------------------------------------------------------------------------------
# Running one input


def run_one(surface: str, data: bytes, folder: Path) -> tuple[str, str]:
    """(outcome, detail) for one input; ``folder`` is an empty scratch folder."""
    from generator.errors import GeneratorError

    try:
        if surface == "spec":
            return _spec(data, folder)
        if surface == "registry":
            from generator import registry

            path = folder / "mine.yaml"
            path.write_bytes(data)
            # With the top organ's file (others name it as superior), not the other shipped files (same ids).
            central = ROOT / "data" / "organs" / "trung-uong.yaml"
            files = [(path, "mine.yaml")] if b"\n  tw:" in data else [(central, "trung-uong.yaml"), (path, "mine.yaml")]
            registry.build(files)
            return "ok", ""
        if surface == "parent":
            return _parent(data, folder)
        if surface == "parent-docx":
            return _parent(data, folder, "parent.docx")
        if surface == "docx":
            from generator.check import check_file

            path = folder / "in.docx"
            path.write_bytes(data)
            result = check_file(path)
            if result.unreadable and "internal error" in result.unreadable:
                return "internal", result.unreadable
            return ("refused", result.unreadable) if result.unreadable else ("ok", "")
    except GeneratorError as exc:
        return "refused", exc.message[:200]
    except MemoryError:
        return "memory", ""
    except _Hang:
        return "hang", ""
    except Exception as exc:  # noqa: BLE001 - any other exception is the defect we look for
        return "internal", f"{type(exc).__name__}: {exc}"[:300] + "\n" + traceback.format_exc()[-1500:]
    raise ValueError(surface)


def _spec(data: bytes, folder: Path) -> tuple[str, str]:
    from generator.build import build_document

    spec = folder / "spec.yaml"
    spec.write_bytes(data)
    for extra in (ROOT / "examples").glob("*.md"):  # body files the examples name
        (folder / extra.name).write_bytes(extra.read_bytes())
    result = build_document(spec, folder / "spec.docx")
    return "ok", "" if result is not None else ""


def _parent(data: bytes, folder: Path, name: str = "parent.txt") -> tuple[str, str]:
    import datetime as dt

    from generator import registry
    from generator.commands.init import _child_organ, derive
    from generator.loader import load_yaml_text
    from generator.parent_reader import read_parent

    parent = folder / name
    parent.write_bytes(data)
    shipped = registry.shipped()
    read = read_parent(parent, shipped)
    when = dt.date(2030, 1, 1)
    organ = _child_organ(shipped, "lai-chau/dang-uy-phuong-tan-phong", when)
    text, _summary = derive(read, organ, when, None)
    loaded = load_yaml_text(text, "child.yaml")  # what init writes must read back
    for key in ("subject",):
        value = loaded.data.get(key)
        if isinstance(value, str) and read.subject and "{{ '{{' }}" not in value and "{{" in (read.subject or ""):
            return "evaluated", f"{key}: {value[:100]!r}"
    return "ok", ""


class _Hang(Exception):
    pass


def _alarm(_signal: int, _frame: object) -> None:
    raise _Hang()


# --------------------------------------------------------------------------------------------------
# The long run


def campaign(surface: str, count: int, seed: int, report: Path | None) -> Counter[str]:
    """Run ``count`` inputs in this process, each under SIGALRM (5 s); the process's address space is
    capped at 500 MB, so an input that needs more ends in MemoryError and is counted."""
    from generator.i18n import set_language

    set_language("en")
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    signal.signal(signal.SIGALRM, _alarm)
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    slowest = 0.0
    started = time.time()
    for index in range(count):
        data = make_input(surface, rng)
        with tempfile.TemporaryDirectory() as name:
            signal.alarm(TIME_LIMIT_SECONDS)
            began = time.perf_counter()
            try:
                outcome, detail = run_one(surface, data, Path(name))
            except _Hang:
                outcome, detail = "hang", ""
            finally:
                signal.alarm(0)
            slowest = max(slowest, time.perf_counter() - began)
        outcomes[outcome] += 1
        if outcome not in ("ok", "refused") and report is not None:
            with open(report, "a", encoding="utf-8") as stream:
                stream.write(json.dumps({"surface": surface, "index": index, "outcome": outcome, "detail": detail,
                                         "input": data[:4000].decode("utf-8", "backslashreplace")}, ensure_ascii=False) + "\n")
    outcomes["_seconds"] = int(time.time() - started)
    outcomes["_slowest_ms"] = int(slowest * 1000)
    outcomes["_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return outcomes


_CLI_ARGS = {
    "spec": lambda f: ["spec.yaml", "-o", "out.docx"],
    "registry": lambda f: ["init", "--from", str(ROOT / "tests" / "golden" / "002.txt"), "--issuer", "lai-chau/dang-uy-phuong-tan-phong",
                           "--date", "2026-02-01", "--registry", "mine.yaml", "-o", "child.yaml"],
    "parent": lambda f: ["init", "--from", "parent.txt", "--issuer", "lai-chau/dang-uy-phuong-tan-phong", "--date", "2030-01-01", "-o", "child.yaml"],
    "docx": lambda f: ["check", "in.docx"],
    "parent-docx": lambda f: ["init", "--from", "parent.docx", "--issuer", "lai-chau/dang-uy-phuong-tan-phong", "--date", "2030-01-01", "-o", "child.yaml"],
}
_CLI_FILE = {"spec": "spec.yaml", "registry": "mine.yaml", "parent": "parent.txt", "docx": "in.docx", "parent-docx": "parent.docx"}


def cli_campaign(surface: str, count: int, seed: int, report: Path | None) -> Counter[str]:
    """Each input through the console script in its own process, under RLIMIT_AS 500 MB and RLIMIT_CPU 5 s
    (a run past either is killed by the kernel and counted); the outcome is read from the exit code and
    stderr, and every file the run left in its folder is compared with what it may write."""
    import shutil
    import subprocess

    program = shutil.which("gen-directive") or str(Path(sys.executable).with_name("gen-directive"))

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
        resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT_SECONDS, TIME_LIMIT_SECONDS))

    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    started = time.time()
    allowed = {"spec": {"out.docx"}, "registry": {"child.yaml"}, "parent": {"child.yaml"}, "docx": set(), "parent-docx": {"child.yaml"}}[surface]
    for index in range(count):
        data = make_input(surface, rng, beside_shipped=True)
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            (folder / _CLI_FILE[surface]).write_bytes(data)
            if surface == "spec":
                for extra in (ROOT / "examples").glob("*.md"):
                    (folder / extra.name).write_bytes(extra.read_bytes())
            before = {p.name for p in folder.iterdir()}
            env = {**os.environ, "LANG": "C.UTF-8"}
            try:
                run = subprocess.run([program, "--lang", "en", *_CLI_ARGS[surface](folder)], cwd=folder, env=env, capture_output=True,
                                     preexec_fn=limits, timeout=60)
                code, err = run.returncode, run.stderr.decode("utf-8", "replace") + run.stdout.decode("utf-8", "replace")
            except subprocess.TimeoutExpired:
                code, err = -999, "wall-clock timeout"
            extra_files = {p.name for p in folder.iterdir()} - before - allowed
        if code < 0:
            outcome = "killed (over 5 s CPU or 500 MB)" if code != -999 else "hang"
        elif "internal error" in err or "Traceback" in err or "MemoryError" in err:
            outcome = "internal"
        elif extra_files:
            outcome = "touched other files"
        else:
            outcome = "ok" if code == 0 else "refused"
        outcomes[outcome] += 1
        if outcome not in ("ok", "refused") and report is not None:
            with open(report, "a", encoding="utf-8") as stream:
                stream.write(json.dumps({"surface": surface, "index": index, "outcome": outcome, "detail": err[-1500:],
                                         "files": sorted(extra_files), "input": data[:4000].decode("utf-8", "backslashreplace")}, ensure_ascii=False) + "\n")
    outcomes["_seconds"] = int(time.time() - started)
    outcomes["_peak_child_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--surface", choices=[*SURFACES, "all"], default="all")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--report", type=Path, default=None, help="append every defect found (JSON lines)")
    parser.add_argument("--cli", action="store_true", help="each input through the console script in its own limited process")
    args = parser.parse_args()
    for surface in SURFACES if args.surface == "all" else (args.surface,):
        run = cli_campaign if args.cli else campaign
        outcomes = run(surface, args.count, args.seed, args.report)
        print(json.dumps({"surface": surface, "count": args.count, **outcomes}), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
