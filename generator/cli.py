"""The command line, kept thin: parse options, call one library function, map errors to exit codes.

Exit codes: 0 done; 1 the spec or a file is wrong (and ``check``: the document does not conform);
2 the command line is wrong (and ``check``: a file cannot be read). No traceback is printed unless
``--debug`` is given. Heavy modules are imported inside each command so ``--help`` stays instant.

Every message is in the clerk's language, click's own included (usage errors, help headings): the
language is chosen from ``--lang`` (before or after the command) or the environment before click parses
anything, and click's message lookups are pointed at our catalogs.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Callable

import click

from . import __version__
from .errors import GeneratorError
from .i18n import N_, _, ngettext, set_language

if TYPE_CHECKING:
    from pathlib import Path

HELP_OUTPUT = N_("Output .docx (default: the spec's name with .docx). Only with one spec.")
HELP_OUT_DIR = N_("Folder for the outputs of several specs, created if missing; a folder's tree is kept in it (default: beside each spec).")
HELP_JOBS = N_("Build with N worker processes (default: the number of cores; 1: in this process).")
HELP_REPORT = N_("Report on stdout: the outputs (text) or one JSON record per spec (json).")
HELP_PDF = N_("Also write OUT.pdf beside OUT.docx through LibreOffice (one LibreOffice run per worker, not per file).")
HELP_LANG = N_("Language of messages: vi (default) or en. An English LANG also selects English.")
HELP_DEBUG = N_("Show the Python traceback of an error (for reporting bugs).")
HELP_VERSION = N_("Show the version and exit.")
HELP_PROFILE = N_("Force the format profile instead of detecting it from the document.")
HELP_FORMAT = N_("Report format.")
HELP_PREVIEW_OUT_DIR = N_("Folder for the PNG pages.")

# Click's own messages a clerk may meet (usage errors and the help page), as click (>= 8.4, setup.cfg) words
# them; they are looked up in our catalogs once _translate_click() has pointed click at them. A message a
# click release rewords simply stays English: tests/test_i18n.py names it.
CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."), N_("Error: {message}"),
    N_("Try '{command} {option}' for help."), N_("No such option {name!r}."),
    N_("Did you mean {possibility}?"), N_("(Did you mean one of: {possibilities}?)"),
    N_("No such command {name!r}."), N_("Missing command."), N_("Missing argument"), N_("Missing option"),
    N_("Missing parameter"), N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("Option {name!r} requires an argument."), N_("Option {name!r} requires {nargs} arguments."),
    N_("Option {name!r} does not take a value."),
    N_("Got unexpected extra argument ({args})"), N_("Got unexpected extra arguments ({args})"),
    N_("{value!r} is not {choice}."), N_("{value!r} is not one of {choices}."), N_("Aborted!"),
    N_("default: {default}"), N_("required"),
)

class _FilePath(click.Path):
    """click.Path that gives a pathlib.Path, imported when a command runs (``--help`` does without it)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path

        return Path(super().convert(value, param, ctx))


_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def _translate_click() -> None:
    """Point click's message lookups (``from gettext import gettext as _`` in each module) at ours."""
    import importlib

    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a click without that module
            continue
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


class _Option(click.Option):
    """An option whose help text is a message id, translated when help is shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        original = self.help
        self.help = _(original) if original else original
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = original


class _Translated:
    """A command whose help text is a message id, translated when help is shown."""

    help: str | None

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        original = self.help
        self.help = _(original) if original else original
        try:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
        finally:
            self.help = original

    def get_short_help_str(self, limit: int = 45) -> str:
        original = self.help
        self.help = _(original) if original else original
        try:
            return super().get_short_help_str(limit)  # type: ignore[misc]
        finally:
            self.help = original


class _Command(_Translated, click.Command):
    pass


# Options that belong to the whole program; accepted after the command too (``gen-directive build x.yaml
# --lang en``) by moving them in front of it.
_GROUP_VALUE_OPTIONS = ("--lang",)
_GROUP_FLAGS = ("--debug",)


def _hoist_group_options(args: list[str]) -> list[str]:
    """Move ``--lang X``/``--lang=X``/``--debug`` written after the command name to the front."""
    front: list[str] = []
    index = 0
    while index < len(args) and args[index].startswith("-"):  # options before the command stay
        index += 2 if args[index] in _GROUP_VALUE_OPTIONS else 1
    rest = args[index:]
    kept: list[str] = []
    position = 0
    while position < len(rest):
        arg = rest[position]
        if arg == "--":
            kept += rest[position:]
            break
        if arg in _GROUP_VALUE_OPTIONS and position + 1 < len(rest):
            front += rest[position:position + 2]
            position += 2
            continue
        if arg.startswith(tuple(f"{o}=" for o in _GROUP_VALUE_OPTIONS)) or arg in _GROUP_FLAGS:
            front.append(arg)
            position += 1
            continue
        kept.append(arg)
        position += 1
    return front + args[:index] + kept


def _language_in(args: list[str]) -> str | None:
    """The ``--lang`` value on the command line, if any (click validates it later)."""
    value = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    return value


class _DefaultToBuild(_Translated, click.Group):
    """``gen-directive spec.yaml`` means ``gen-directive build spec.yaml``."""

    command_class = _Command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = _hoist_group_options(list(args))
        index = 0
        while index < len(args):
            arg = args[index]
            if arg in _GROUP_VALUE_OPTIONS:
                index += 2
                continue
            if arg.startswith("--lang=") or arg in {*_GROUP_FLAGS, "--version", "--help", "-h"}:
                index += 1
                continue
            if arg not in self.commands:
                args = args[:index] + ["build"] + args[index:]
            break
        return super().parse_args(ctx, args)


def _run(ctx: click.Context, action: Callable[[], int | None]) -> None:
    """Call the action; a GeneratorError becomes its message and exit code, never a traceback."""
    debug = bool(ctx.obj and ctx.obj.get("debug"))
    try:
        code = action() or 0
    except GeneratorError as exc:
        if debug:
            import traceback  # only for --debug: ~10 ms that no other call needs

            traceback.print_exc()
        click.echo(exc.message, err=True)
        ctx.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo(_("interrupted."), err=True)
        ctx.exit(130)
    except MemoryError:  # every input has its limits; this is the last line behind them
        click.echo(_("the input needs more memory than this machine allows; refused (see \"Safety\" in the README for the limits)."), err=True)
        ctx.exit(1)
    except RecursionError:
        click.echo(_("the input is nested too deeply to be processed; refused (see \"Safety\" in the README for the limits)."), err=True)
        ctx.exit(1)
    except BrokenPipeError:  # the reader went away (… | head): end quietly, as other tools do
        _quiet_broken_pipe()
        ctx.exit(141)
    except Exception as exc:  # a bug: say so plainly; the traceback is for --debug
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(_("internal error ({kind}: {reason}); run again with --debug and report it.").format(kind=type(exc).__name__, reason=exc), err=True)
        ctx.exit(1)
    ctx.exit(code)


@click.group(cls=_DefaultToBuild, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Generate Vietnamese official directives (.docx) from a YAML spec, and check any .docx."))
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None, help=HELP_LANG, cls=_Option)
@click.option("--debug", is_flag=True, help=HELP_DEBUG, cls=_Option)
@click.version_option(__version__, prog_name="gen-directive", help=HELP_VERSION, cls=_Option,
                      message=f"%(prog)s %(version)s ({os.path.dirname(__file__)}, Python {sys.version.split()[0]})")
@click.pass_context
def main_group(ctx: click.Context, lang: str | None, debug: bool) -> None:
    set_language(lang)
    ctx.obj = {"debug": debug}


@main_group.command("build", help=N_("Build SPEC.yaml into a .docx. Several specs, folders (searched for *.yaml) or quoted globs: a batch."))
@click.argument("specs", nargs=-1, required=True, type=_FilePath())
@click.option("-o", "--output", type=_FilePath(), default=None, help=HELP_OUTPUT, cls=_Option)
@click.option("--out-dir", type=_FilePath(file_okay=False), default=None, help=HELP_OUT_DIR, cls=_Option)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N", help=HELP_JOBS, cls=_Option)
@click.option("--pdf", is_flag=True, help=HELP_PDF, cls=_Option)
@click.option("--report", type=click.Choice(["text", "json"]), default="text", help=HELP_REPORT, cls=_Option)
@click.pass_context
def build_command(ctx: click.Context, specs: tuple[Path, ...], output: Path | None, out_dir: Path | None, jobs: int | None,
                  pdf: bool, report: str) -> None:
    from .commands.build import build_many

    debug = bool(ctx.obj and ctx.obj.get("debug"))
    _run(ctx, lambda: build_many(list(specs), output, out_dir, pdf, jobs=jobs, report=report, debug=debug))


@main_group.command("check", help=N_("Check .docx files against the format rules (exit 0 conformant, 1 not, 2 unreadable)."))
@click.argument("files", nargs=-1, required=True, type=_FilePath())
@click.option("--profile", type=click.Choice(["party", "party-hd36", "party-hd05", "state"]), default=None,
              help=HELP_PROFILE, cls=_Option)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", help=HELP_FORMAT, cls=_Option)
@click.pass_context
def check_command(ctx: click.Context, files: tuple[Path, ...], profile: str | None, output_format: str) -> None:
    from .check import run_check

    _run(ctx, lambda: run_check(list(files), profile=profile, output_format=output_format))


@main_group.command("preview", help=N_("Render a spec or a .docx to PNG page images through LibreOffice."))
@click.argument("source", type=_FilePath())
@click.option("--out-dir", type=_FilePath(file_okay=False), default=None, help=HELP_PREVIEW_OUT_DIR, cls=_Option)
@click.pass_context
def preview_command(ctx: click.Context, source: Path, out_dir: Path | None) -> None:
    from .commands.preview import preview

    def action() -> int:
        for page in preview(source, out_dir):
            click.echo(str(page))
        return 0

    _run(ctx, action)


@main_group.command("doctor", help=N_("Check what --pdf and preview need: LibreOffice, poppler, and a Times New Roman with every Vietnamese letter."))
@click.pass_context
def doctor_command(ctx: click.Context) -> None:
    from .commands.doctor import doctor

    _run(ctx, doctor)


@main_group.command("serve", help=N_("Open the local web editor: a form, the YAML and a live preview of the pages."))
@click.argument("spec", required=False, type=_FilePath())
@click.option("--port", type=click.IntRange(0, 65535), default=8765, help=N_("Port on 127.0.0.1 (0: any free port)."), cls=_Option)
@click.option("--no-browser", is_flag=True, help=N_("Do not open the browser."), cls=_Option)
@click.pass_context
def serve_command(ctx: click.Context, spec: Path | None, port: int, no_browser: bool) -> None:
    from .commands.serve import serve_command as serve

    _run(ctx, lambda: serve(spec, port, not no_browser, debug=bool(ctx.obj and ctx.obj.get("debug"))))


def _child_spec_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options ``init`` and ``cascade`` share: both write a child spec."""
    for option in reversed([
        click.option("--date", default=None, help=N_("The child's date, YYYY-MM-DD (default: today)."), cls=_Option),
        click.option("--type", "type_id", default=None, help=N_("The child's document type (default: the parent's)."), cls=_Option),
        click.option("--registry", "registry_files", multiple=True, type=_FilePath(),
                     help=N_("A registry file of your own (repeatable)."), cls=_Option),
        click.option("--force", is_flag=True, help=N_("Replace an existing output file."), cls=_Option),
    ]):
        command = option(command)
    return command


@main_group.command("init", help=N_("Start the spec of a directive that carries out PARENT (.docx, .txt or .yaml)."))
@click.option("--from", "source", type=_FilePath(), required=True, help=N_("The incoming directive: a .docx, a text dump or one of our specs."), cls=_Option)
@click.option("--issuer", "organ", required=True, help=N_("Your organ's id in the registry, e.g. lai-chau/dang-uy-xa-binh-lu."), cls=_Option)
@click.option("-o", "--output", type=_FilePath(), default=None, help=N_("The child spec (default: PARENT.ORGAN.yaml here)."), cls=_Option)
@_child_spec_options
@click.pass_context
def init_command(ctx: click.Context, source: Path, organ: str, output: Path | None, date: str | None, type_id: str | None,
                 registry_files: tuple[Path, ...], force: bool) -> None:
    from .commands.init import init_command as init

    _run(ctx, lambda: init(source, organ, output, date, type_id, force, registry_files))


@main_group.command("cascade", help=N_("Derive the spec of the next level down (--to ORGAN) from SPEC."))
@click.argument("spec", type=_FilePath())
@click.option("--to", "organ", required=True, help=N_("The lower organ's id in the registry."), cls=_Option)
@click.option("-o", "--output", type=_FilePath(), default=None, help=N_("The child spec (default: SPEC.ORGAN.yaml here)."), cls=_Option)
@_child_spec_options
@click.pass_context
def cascade_command(ctx: click.Context, spec: Path, organ: str, output: Path | None, date: str | None, type_id: str | None,
                    registry_files: tuple[Path, ...], force: bool) -> None:
    from .commands.cascade import cascade_command as cascade

    _run(ctx, lambda: cascade(spec, organ, output, date, type_id, force, registry_files))


@main_group.command("issue", help=N_("Issue a draft SPEC: fill in its number and date, remove the draft mark, write the issued spec and build it."))
@click.argument("spec", type=_FilePath())
@click.option("--number", "number", required=True, help=N_("The number the văn thư gives, e.g. 15."), cls=_Option)
@click.option("--date", "date", required=True, help=N_("The date of issue, YYYY-MM-DD."), cls=_Option)
@click.option("-o", "--output", type=_FilePath(), default=None, help=N_("The issued spec (default: SPEC-so-NN.yaml beside the draft; -o SPEC issues in place)."), cls=_Option)
@click.option("--force", is_flag=True, help=N_("Replace an existing output file."), cls=_Option)
@click.pass_context
def issue_command(ctx: click.Context, spec: Path, number: str, date: str, output: Path | None, force: bool) -> None:
    from .commands.issue import issue_command as issue

    _run(ctx, lambda: issue(spec, number, date, output, force))


@main_group.command("organs", help=N_("List the organs of the registry, or those whose name holds TEXT (accents optional)."))
@click.argument("text", required=False)
@click.option("--on", "on", default=None, help=N_("Only the organs that existed on this date, YYYY-MM-DD."), cls=_Option)
@click.option("--json", "json_output", is_flag=True, help=N_("A JSON list (id, name, province, level, regime, valid_from, valid_to, …)."), cls=_Option)
@click.option("--registry", "registry_files", multiple=True, type=_FilePath(),
              help=N_("A registry file of your own (repeatable)."), cls=_Option)
@click.pass_context
def organs_command(ctx: click.Context, text: str | None, on: str | None, json_output: bool, registry_files: tuple[Path, ...]) -> None:
    from .commands.organs import organs_command as organs

    _run(ctx, lambda: organs(text, on, json_output, registry_files))


def _quiet_broken_pipe() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> Any:
    """The console script. The language is set before click parses, so usage errors and ``--help`` are
    in it too."""
    args = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_in(args))
    _translate_click()
    return main_group.main(args=args, prog_name="gen-directive", standalone_mode=True)


def console() -> None:
    """The console script: run, flush, and leave without tearing the interpreter down.

    Every file is written and closed (atomically) before this point, so skipping the garbage collection
    of python-docx's and lxml's object graphs at exit is safe and saves ~20 ms per call (perf baseline).
    In-process callers use :func:`main`, which exits normally.
    """
    import os

    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if not isinstance(exc.code, (int, type(None))):
            sys.stderr.write(f"{exc.code}\n")
    except BrokenPipeError:
        _quiet_broken_pipe()
        code = 141
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, OSError, ValueError):
            _quiet_broken_pipe()
            code = code or 141
    os._exit(code)
