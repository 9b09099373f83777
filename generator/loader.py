"""Load step: read a YAML file safely and remember where every value came from.

Specs arrive from other organs, so loading is defensive:

* a safe loader only (the C one when libyaml is there: 0.8 ms instead of 11.6 ms for a 19 KB spec), a size
  limit, a nesting limit checked on the parser's event stream *before* anything is built (libyaml's
  composer recurses in C and would crash the process on a few thousand nested brackets) and by our own
  token scan whenever libyaml stops on the text (libyaml 0.2.6 has a nesting limit of its own, reached
  before its first event, whose English message must not answer for ours), and a cap on how many values
  aliases may expand to (a "billion laughs" file is refused, not expanded);
* duplicate keys refused (PyYAML would silently keep the last one), merge keys and type tags (``!!set``,
  ``!!binary``, ``!foo``) refused;
* nothing a clerk typed is silently changed: mapping keys stay the words written (``yes:`` is the key
  "yes", not True), ``number: 012`` is twelve (YAML 1.1 would read octal ten) and a text field given
  ``012`` keeps "012", ``0x1F`` or ``1:30`` stay text, an impossible date such as ``2023-02-30`` stays text so
  the schema can say which key holds it;
* every YAML error keeps the parser's line and column and is worded for a clerk, in the clerk's language;
* text is normalised to NFC, so NFD input from some keyboards gives the same letters; characters XML cannot
  carry are refused where they are typed raw (with their line and column) and removed with a located
  warning where they arrive through an escape such as ``"\\x01"``.

:func:`confined_path` is the one gate for any file a spec names (body file, include, custom template).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.events import CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.reader import Reader
from yaml.scanner import Scanner

from .errors import FileProblem, Problem, SpecError, UnsafePath, os_reason
from .i18n import N_, _

try:  # libyaml is ~15x faster; fall back to the pure-Python loader where it is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_EXPANDED_NODES = 200_000
# The text a file expands to once aliases are followed (each alias counts its whole value again): 1,000
# aliases of a 100,000-character slogan would otherwise become 100 million characters to lay out.
MAX_EXPANDED_CHARS = 4 * MAX_FILE_BYTES
# Combining marks in a row on one base letter (Unicode's "stream-safe" bound, UAX #15): normalising a longer
# run costs time quadratic in its length; Vietnamese needs at most two.
MAX_COMBINING_RUN = 30
MAX_REPORTED = 10  # problems of one kind (bad characters) listed before "… and N more"

# XML 1.0 forbids C0 controls other than tab, newline and carriage return, U+FFFE/U+FFFF and surrogates.
_FORBIDDEN = {c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0xFFFE, 0xFFFF}
# Searched with one compiled pattern: a per-character Python loop cost ~20 ms on a 30 KB spec.
_FORBIDDEN_RE = re.compile("[" + "".join(f"\\u{c:04x}" for c in sorted(_FORBIDDEN)) + "\\ud800-\\udfff]")
# What YAML's reader refuses in the raw text (PyYAML's Reader.NON_PRINTABLE, which libyaml shares).
_NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DECIMAL = re.compile(r"[-+]?[0-9]+")

Path_ = tuple[str | int, ...]


class WrittenInt(int):
    """A whole number that remembers how it was written: ``012`` is 12, and ``str()`` gives back "012"
    (a text field given a plain number keeps it as typed)."""

    source: str

    def __new__(cls, value: int, source: str) -> WrittenInt:
        number = super().__new__(cls, value)
        number.source = source
        return number

    def __str__(self) -> str:
        return self.source

    def __reduce__(self) -> tuple[Any, ...]:
        return (WrittenInt, (int(self), self.source))


class _SpecLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, narrowed to what a spec needs (see the module docstring)."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        # Keys are the words as written; non-scalar keys never get here (refused while walking).
        return {key.value if isinstance(key, ScalarNode) else self.construct_object(key, deep=deep):
                self.construct_object(value, deep=deep) for key, value in node.value}

    def construct_written_int(self, node: ScalarNode) -> Any:
        text = node.value
        if not _DECIMAL.fullmatch(text):  # 0x1F, 0o17, 1_000, 1:30 (YAML 1.1 sexagesimal): keep the text
            return text
        try:
            value = int(text, 10)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            raise ConstructorError(None, None, _("this number has too many digits ({count}); put it in quotes if it is a text.").format(count=len(text)),
                                   node.start_mark) from None
        return value if str(value) == text else WrittenInt(value, text)

    def construct_checked_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):  # 2023-02-30: the schema says "not a real date" at its key
            return node.value

    def construct_refused(self, node: yaml.Node) -> Any:
        raise ConstructorError(None, None, _("the tag {tag} is not allowed in a spec; remove it, or put the value in quotes.").format(tag=_short_tag(node.tag)),
                               node.start_mark)


_SpecLoader.add_constructor("tag:yaml.org,2002:int", _SpecLoader.construct_written_int)
_SpecLoader.add_constructor("tag:yaml.org,2002:timestamp", _SpecLoader.construct_checked_timestamp)
for _tag in ("tag:yaml.org,2002:binary", "tag:yaml.org,2002:set", "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs", None):
    _SpecLoader.add_constructor(_tag, _SpecLoader.construct_refused)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


# libyaml's problem texts (the pure-Python loader's are matched by the same first words) → a clerk's
# wording. ``{line}`` is the line where the construct that failed began (the parser's context mark).
_YAML_PROBLEMS: dict[str, str] = {
    "did not find expected ',' or ']'": N_("the list opened with \"[\" on line {line} is not closed: expected \",\" or \"]\". A text that starts with \"[\" must be in quotes."),
    "did not find expected ',' or '}'": N_("the mapping opened with \"{{\" on line {line} is not closed: expected \",\" or \"}}\". A text that starts with \"{{\" must be in quotes."),
    "mapping values are not allowed": N_("a \": \" where no new key can start. If the value itself contains \": \", put the whole value in quotes; otherwise check the indentation of this line."),
    "did not find expected key": N_("expected a key (\"key: value\") here. Check that this line is indented like the keys above it, and that a quoted value has nothing after its closing quote."),
    "did not find expected '-' indicator": N_("expected a list item (\"- …\") here; check that this line is indented like the items above it."),
    "found unexpected end of stream": N_("the quotes opened on line {line} are never closed."),
    "found unknown escape character": N_("unknown escape after \"\\\" in a text in double quotes: write \"\\\\\" for a backslash, or use single quotes."),
    "found character": N_("this character cannot start a value: indent with spaces, not tabs, and put a value that starts with @, ` or % in quotes."),
    "found undefined alias": N_("a value that starts with \"*\" names an anchor that does not exist; put a text that starts with \"*\" in quotes (\"**bold** text\")."),
    "did not find expected alphabetic or numeric character": N_("a value that starts with \"*\" or \"&\" must be in quotes (\"**bold** text\")."),
    "but found another document": N_("a spec is one YAML document: remove the \"---\" line that starts a second one."),
    "did not find expected hexdecimal number": N_("expected hexadecimal digits after \"\\x\", \"\\u\" or \"\\U\" in a text in double quotes; write \"\\\\\" for a backslash."),
    "found invalid Unicode character escape code": N_("this \"\\u\" or \"\\U\" escape is not a valid character."),
    "could not find expected ':'": N_("the key on line {line} has no \":\"; a line of a mapping is \"key: value\"."),
    "did not find expected node content": N_("expected a value here; a text that starts with \"]\", \"}}\" or \",\" must be in quotes."),
    "block sequence entries are not allowed": N_("a list item (\"- \") cannot follow a key on the same line: start the list on the next line, indented."),
    "did not find expected comment or line break": N_("unexpected characters here: after \"|\" or \">\" only a comment (# …) may follow on the same line."),
    "found undefined tag handle": N_("a value that starts with \"!\" must be in quotes."),
    "did not find expected <document start>": N_("text after the end-of-document line \"...\"; remove that line."),
    "found a tab character": N_("a tab is used for indentation here; indent with spaces."),
    "found duplicate anchor": N_("the anchor \"&…\" is defined twice; rename one."),
    "found unhashable key": N_("a key must be a plain word, not a list or mapping; a text that starts with \"{{\" must be in quotes."),
}


def _yaml_reason(exc: yaml.MarkedYAMLError, text: str = "") -> str:
    problem = exc.problem or exc.context or "?"
    mark = exc.problem_mark
    if mark is not None and problem.startswith("found character") and _char_at(text, mark.line, mark.column) == "\t":
        problem = "found a tab character"
    context_line = exc.context_mark.line + 1 if exc.context_mark else (exc.problem_mark.line + 1 if exc.problem_mark else "?")
    for start, message in _YAML_PROBLEMS.items():
        if problem.startswith(start):
            return _(message).format(line=context_line)
    return problem.rstrip(".") + "."


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column:column + 1] if line < len(lines) else ""


@dataclass
class Loaded:
    """A parsed YAML document with the source position of each key path."""

    data: Any
    file: str
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    # Where each value starts (line), and whether it is a literal block scalar ("|"): its text begins on the
    # next line and keeps its lines, so line N of the text is line start + N of the file.
    value_lines: dict[Path_, tuple[int, bool]] = field(default_factory=dict)

    def locate(self, problem: Problem) -> Problem:
        """Attach file, line and column: those of the deepest key path prefix that exists in the file."""
        if problem.line is not None:
            return problem if problem.file is not None else Problem(problem.path, problem.message, problem.line, problem.column, self.file, problem.severity)
        path = problem.path
        while path and path not in self.marks:
            path = path[:-1]
        line, column = self.marks.get(path, (None, None))
        return Problem(problem.path, problem.message, line, column, self.file, problem.severity)


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 text file with a size limit, as a located message on every failure."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileProblem(_("{file}: file not found.").format(file=display)) from None
    except OSError as exc:
        raise FileProblem(_("{file}: cannot read the file ({reason}).").format(file=display, reason=os_reason(exc))) from None
    if path.is_dir():
        raise FileProblem(_("{file}: is a folder, not a spec file.").format(file=display))
    refuse_special_file(path, display)
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)  # never more, whatever the file turns out to be
    except OSError as exc:
        raise FileProblem(_("{file}: cannot read the file ({reason}).").format(file=display, reason=os_reason(exc))) from None
    if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:  # too large (or a file that grew since stat)
        raise _too_large(raw, display, max(size, len(raw)))
    return decode(raw, display)


def _too_large(raw: bytes, display: str, size: int) -> FileProblem:
    """The size refusal, located at the line and column where the file passes the limit."""
    head = raw[:MAX_FILE_BYTES]
    line = head.count(b"\n") + 1
    column = len(head[head.rfind(b"\n") + 1:].decode("utf-8", "ignore")) + 1
    return FileProblem(_("{file}:{line}:{column}: the file is {size} bytes; a spec may be at most {limit} bytes, and it passes that here.").format(
        file=display, line=line, column=column, size=size, limit=MAX_FILE_BYTES))


def refuse_special_file(path: Path, display: str) -> None:
    """A FIFO, a device (``/dev/zero``, ``/dev/urandom``) or a socket is refused before it is opened:
    reading one could block for ever or never end."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        raise FileProblem(_("{file}: not a regular file (a device, pipe or socket); give a file saved on disk.").format(file=display))


def overlong_combining_run(text: str) -> int | None:
    """The offset of the first run of more than MAX_COMBINING_RUN combining marks in ``text``, or None.

    Only runs of non-ASCII characters long enough to hold such a run are looked at character by
    character, so ordinary text (Vietnamese included) costs one regular-expression scan."""
    if text.isascii():
        return None
    for match in _LONG_NON_ASCII.finditer(text):
        run = 0
        for offset, char in enumerate(match.group()):
            if unicodedata.combining(char):
                run += 1
                if run > MAX_COMBINING_RUN:
                    return match.start() + offset
            else:
                run = 0
    return None


_LONG_NON_ASCII = re.compile(f"[^\\x00-\\x7f]{{{MAX_COMBINING_RUN + 1},}}")


def combining_message(limit: int = MAX_COMBINING_RUN) -> str:
    return _("more than {limit} combining marks (accents) in a row on one letter; refused (Vietnamese needs at most two).").format(limit=limit)


def refuse_long_combining_runs(text: str, display: str) -> None:
    """Normalising a long run of combining marks costs time quadratic in its length: refused first, located."""
    offset = overlong_combining_run(text)
    if offset is not None:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise SpecError([Problem((), combining_message(), line, column, display)])


def decode(raw: bytes, display: str) -> str:
    """UTF-8 (a BOM is allowed); UTF-16 with a BOM too, as Notepad's "Unicode" saves it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = len(raw[: exc.start].rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise FileProblem(
            _("{file}:{line}:{column}: the file is not UTF-8 text; save it as UTF-8 (Unicode).").format(file=display, line=line, column=column)
        ) from None


def load_yaml(path: Path, display: str | None = None) -> Loaded:
    """Load one YAML document from ``path``; every failure is a :class:`GeneratorError` with a location."""
    shown = display or str(path)
    return load_yaml_text(read_text(path, shown), shown)


def load_yaml_text(text: str, display: str) -> Loaded:
    _check_characters(text, display)
    refuse_long_combining_runs(text, display)
    _check_events(text, display)
    loader = _SpecLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise _syntax_error(exc, display, text) from None
        if node is None:
            raise SpecError([Problem((), _("the file is empty; a spec is a mapping of keys such as type, issuer, date, body."), 1, 1, display)])
        loaded = Loaded(data=None, file=display)
        problems: list[Problem] = []
        _Walker(loaded, problems).walk(node, (), 0)
        if problems:
            raise SpecError(problems)
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            raise SpecError([Problem((), _("YAML value not allowed: {reason}").format(reason=_yaml_reason(exc)),
                                     mark.line + 1 if mark else None, mark.column + 1 if mark else None, display)]) from None
    finally:
        loader.dispose()
    loaded.data = _clean(data, (), loaded, escapes="\\" in text)
    return loaded


def _syntax_error(exc: yaml.MarkedYAMLError, display: str, text: str) -> SpecError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return SpecError([Problem((), _("YAML syntax error: {reason}").format(reason=_yaml_reason(exc, text)), line, column, display)])


def _check_characters(text: str, display: str) -> None:
    """Characters YAML refuses in raw text, each with its line and column (the parser gives neither)."""
    found = list(_NON_PRINTABLE.finditer(text))
    if not found:
        return
    problems = []
    for match in found[:MAX_REPORTED]:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Problem((), _("the invisible control character U+{code:04X} cannot be in a spec; delete it (it often comes with text copied from Word or a PDF).").format(code=ord(match.group())),
                                line, column, display))
    if len(found) > MAX_REPORTED:
        problems.append(Problem((), _("… and {count} more such characters.").format(count=len(found) - MAX_REPORTED), None, None, display))
    raise SpecError(problems)


# A flow collection ("[" or "{") can only start after a line break or one of "[{,:?-" (spaces, an anchor or a
# tag between); the opener itself is looked ahead, not consumed, so "[[[" counts three. Both patterns begin
# with a character class or a literal, which the regex engine scans for quickly.
_FLOW_START = re.compile(r"[\n\r\[{,:?-][ \t]*(?:[&!][^ \t\n\r]*[ \t]+)*(?=[\[{])")
# The start of each line and its compact indicators ("- ", "? ", ": ", "--- "): the columns where a block
# collection can start.
_LINE_PREFIX = re.compile(r"\n[ ]*(?:(?:---|[-?:])(?:[ \t]+|(?=\n)))*")
_INDICATOR = re.compile(r"(?:---|[-?:])(?:[ \t]+|$)")


def _nesting_bound(text: str, limit: int) -> int:
    """An upper bound on how deep the collections of ``text`` nest, read cheaply off the raw characters
    (counting stops once it passes ``limit``).

    Flow collections: each needs an opener where a value can start (a flow list may hold one more level,
    an implicit ``key: value`` pair). Block collections: a nested one starts at a greater column than its
    parent, or at the same column once (a list under a key); so their depth is at most twice the number of
    columns where a line, or a compact "- "/"? " on it, starts.
    """
    framed = "\n" + text
    flow = 0
    for match in _FLOW_START.finditer(framed):
        flow += 2 if framed[match.end()] == "[" else 1
        if flow > limit:
            return flow
    columns: set[int] = set()
    for prefix in set(_LINE_PREFIX.findall(framed)):
        prefix = prefix[1:]
        indent = len(prefix) - len(prefix.lstrip(" "))
        columns.add(indent)
        columns.update(indent + indicator.end() for indicator in _INDICATOR.finditer(prefix, indent))
    return flow + 2 * len(columns)


class _TokenScanner(Reader, Scanner):  # type: ignore[misc]
    """PyYAML's pure-Python scanner: tokens only, no limit of its own, the same on every PyYAML build."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)


def _check_nesting(text: str, display: str) -> None:
    """Refuse collections nested deeper than MAX_DEPTH with our located message, whatever libyaml does:
    called whenever libyaml stops on a text (libyaml 0.2.6 scans ~1000 brackets ahead of its first event
    and stops at a nesting limit of its own, in English, at another column; another build may have another
    limit or none), so that a too-deep text gets our message and a broken one libyaml's, in our words.

    A text proved shallow from its raw characters (:func:`_nesting_bound`, ~0.2 ms for a spec) is left
    alone; any other goes through PyYAML's pure-Python scanner, counting levels exactly as the parser
    builds them (a list under a key and a ``key: value`` pair in a flow list are levels too). A syntax
    error met on the way ends the scan: the caller reports it.
    """
    if _nesting_bound(text, MAX_DEPTH) <= MAX_DEPTH:
        return
    scanner = _TokenScanner(text)
    stack: list[type] = []  # the open collections, by the token that opened them (or the parser's notion)
    try:
        while (token := scanner.get_token()) is not None:
            kind = type(token)
            top = stack[-1] if stack else None
            if kind in (yaml.BlockEndToken, yaml.KeyToken, yaml.ValueToken) and top is _IndentlessSequence:
                stack.pop()  # a list under a key ends where the mapping goes on (or ends)
                top = stack[-1] if stack else None
            if kind in (yaml.FlowEntryToken, yaml.FlowSequenceEndToken) and top is _FlowPair:
                stack.pop()
            if kind in (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken):
                if stack:
                    stack.pop()
                continue
            if kind in (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken):
                stack.append(kind)
            elif kind is yaml.BlockEntryToken and top is yaml.BlockMappingStartToken:
                stack.append(_IndentlessSequence)
            elif kind in (yaml.KeyToken, yaml.ValueToken) and top is yaml.FlowSequenceStartToken:
                stack.append(_FlowPair)
            else:
                continue
            if len(stack) > MAX_DEPTH:
                mark = token.start_mark
                raise SpecError([Problem((), _("nesting deeper than {limit} levels; refused.").format(limit=MAX_DEPTH), mark.line + 1, mark.column + 1, display)])
    except yaml.YAMLError:
        return  # a syntax error: the parser reports it, with its own mark and our wording


class _IndentlessSequence:
    """A list written under a key at the key's own indentation: a level with no token of its own."""


class _FlowPair:
    """A ``key: value`` written directly in a flow list: a one-pair mapping with no token of its own."""


def _check_events(text: str, display: str) -> None:
    """Walk the parser's events (no recursion, no objects built) to refuse deep nesting and huge files
    before libyaml's recursive composer sees them; syntax errors surface here with their marks."""
    loader = _SpecLoader(text)
    depth = 0
    events = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            events += 1
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise SpecError([Problem((), _("nesting deeper than {limit} levels; refused.").format(limit=MAX_DEPTH), mark.line + 1, mark.column + 1, display)])
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            if events > MAX_EXPANDED_NODES:
                mark = event.start_mark
                raise SpecError([Problem((), _("the file has more than {limit} values; refused.").format(limit=MAX_EXPANDED_NODES), mark.line + 1, mark.column + 1, display)])
    except yaml.MarkedYAMLError as exc:
        _check_nesting(text, display)  # a nesting limit of libyaml's own must not answer for ours
        raise _syntax_error(exc, display, text) from None
    except yaml.YAMLError as exc:  # a reader error the character check did not foresee
        _check_nesting(text, display)
        raise SpecError([Problem((), _("YAML syntax error: {reason}").format(reason=str(exc).rstrip(".") + "."), None, None, display)]) from None
    finally:
        loader.dispose()


class _Walker:
    """Record marks; refuse alias bombs, alias cycles, duplicate, merge and non-scalar keys."""

    def __init__(self, loaded: Loaded, problems: list[Problem]) -> None:
        self.loaded = loaded
        self.problems = problems
        self.count = 0
        self.chars = 0
        self.stopped = False

    def _problem(self, path: Path_, message: str, node: yaml.Node) -> None:
        self.problems.append(Problem(path, message, node.start_mark.line + 1, node.start_mark.column + 1, self.loaded.file))

    def _expanded_too_long(self, path: Path_, node: yaml.Node) -> None:
        """Refuse at the value that passed the limit (an alias, usually): its line and column."""
        self._problem(path, _("the file expands to more than {limit} characters (a value repeated through aliases \"*…\"?); refused.").format(
            limit=MAX_EXPANDED_CHARS), node)
        self.stopped = True

    def walk(self, node: yaml.Node, path: Path_, depth: int) -> None:
        if self.stopped:
            return
        self.count += 1
        if self.count > MAX_EXPANDED_NODES:
            top = path[:1]
            line, column = self.loaded.marks.get(top, (node.start_mark.line + 1, node.start_mark.column + 1))
            self.problems.append(Problem(top, _("the file expands to more than {limit} values (aliases?); refused.").format(limit=MAX_EXPANDED_NODES),
                                         line, column, self.loaded.file))
            self.stopped = True
            return
        if isinstance(node, ScalarNode):
            self.chars += len(node.value)
            if self.chars > MAX_EXPANDED_CHARS:
                self._expanded_too_long(path, node)
                return
        if depth > MAX_DEPTH:  # only aliases get here (the event check saw the nesting as written)
            self._problem(path[:1], _("nesting deeper than {limit} levels; refused.").format(limit=MAX_DEPTH), node)
            self.stopped = True
            return
        self.loaded.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        self.loaded.value_lines.setdefault(path, (node.start_mark.line + 1, getattr(node, "style", None) == "|"))
        if isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self._problem(path, _("a key must be a plain word, not a list or mapping; a text that starts with \"{{\" or \"[\" must be in quotes."), key_node)
                    continue
                key = _normal(key_node.value)
                if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                    self._problem(path, _("merge keys (<<) are not allowed in a spec."), key_node)
                    continue
                if key in seen:
                    self._problem(path + (key,), _("the key \"{key}\" appears twice (first on line {line}); keep one.").format(key=key, line=seen[key]), key_node)
                    continue
                seen[key] = key_node.start_mark.line + 1
                self.loaded.marks.setdefault(path + (key,), (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                self.walk(value_node, path + (key,), depth + 1)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, path + (index,), depth + 1)


def _normal(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _clean(value: Any, path: Path_, loaded: Loaded, escapes: bool = True) -> Any:
    """NFC-normalise every string and strip characters XML cannot carry (with a located warning).

    ``escapes=False``: the file holds no backslash, so no string has a character the checks of the raw
    text did not see (only an escape such as "\\u0301" or "\\x01" makes one): NFC is all that is left."""
    if isinstance(value, str):
        return clean_text(value, path, loaded) if escapes else _normal(value)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            key = (clean_text(k, path + (_normal(k),), loaded) if escapes else _normal(k)) if isinstance(k, str) else k
            out[key] = _clean(v, path + (key,), loaded, escapes)
        return out
    if isinstance(value, list):
        return [_clean(v, path + (i,), loaded, escapes) for i, v in enumerate(value)]
    return value


def clean_text(text: str, path: Path_, loaded: Loaded | None) -> str:
    """``text`` in NFC without the characters a Word file cannot hold; each removal is a located warning."""
    if not text.isascii() and overlong_combining_run(text) is not None:  # built by escapes ("\u0301"…)
        problem = Problem(path, combining_message())
        raise SpecError([loaded.locate(problem) if loaded is not None else problem])
    if _FORBIDDEN_RE.search(text):
        bad = sorted({f"U+{ord(ch):04X}" for ch in _FORBIDDEN_RE.findall(text)})
        text = _FORBIDDEN_RE.sub("", text)
        if loaded is not None:
            loaded.warnings.append(loaded.locate(Problem(path, _("removed characters a Word file cannot hold: {chars}.").format(chars=", ".join(bad)), severity="warning")))
    return _normal(text)


def confined_path(base_dir: Path, relative: str, roots: list[Path], key_path: Path_, *, loaded: Loaded | None = None) -> Path:
    """The file a spec names at ``key_path``, resolved (symlinks followed), if it lies inside the spec's
    folder ``base_dir`` or one of the configured ``roots`` (template and data folders); otherwise an
    :class:`UnsafePath` error located at ``key_path`` (with line and column when ``loaded`` is given).

    Refused: absolute paths, a drive or ``~`` prefix, ``..`` that climbs out, a symlink that points out,
    and names with a NUL character. Backslashes count as separators, as a spec written on Windows means.
    Whether the file exists is the caller's question.
    """
    def refuse(message: str) -> UnsafePath:
        problem = Problem(tuple(key_path), message)
        return UnsafePath([loaded.locate(problem) if loaded is not None else problem])

    if not isinstance(relative, str) or not relative.strip():
        raise refuse(_("expected a file name relative to the spec's folder, got {got}.").format(got=repr(relative)))
    if "\0" in relative:
        raise refuse(_("a file name cannot contain the character U+0000."))
    written = relative.replace("\\", "/")
    if written.startswith(("/", "~")) or re.match(r"[A-Za-z]:", written):
        raise refuse(_("\"{path}\" is an absolute path; name the file relative to the spec's folder.").format(path=relative))
    base = Path(base_dir).resolve()
    try:
        target = (base / written).resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise refuse(_("\"{path}\" cannot be resolved ({reason}).").format(path=relative, reason=exc)) from None
    allowed = [base, *(Path(root).resolve() for root in roots)]
    if not any(target == root or target.is_relative_to(root) for root in allowed):
        raise refuse(_("\"{path}\" is outside the spec's folder; a spec may only use files in its own folder or in: {roots}.").format(
            path=relative, roots=", ".join(str(root) for root in allowed)))
    return target
