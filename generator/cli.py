"""The command line, kept thin: parse options, call one library function, map errors to exit codes.

Exit codes: 0 done; 1 the spec or a file is wrong (and ``check``: the document does not conform);
2 the command line is wrong (and ``check``: a file cannot be read). No traceback is printed unless
``--debug`` is given. Heavy modules are imported inside each command so ``--help`` stays instant.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any, Callable

import click

from . import __version__
from .errors import GeneratorError
from .i18n import _, set_language

HELP_OUTPUT = "Output .docx (default: the spec's name with .docx). Only with one spec."
HELP_OUT_DIR = "Folder for the outputs of several specs (default: beside each spec)."
HELP_PDF = "Also write OUT.pdf beside OUT.docx through LibreOffice (one LibreOffice run for all files)."
HELP_LANG = "Language of messages: vi (default) or en. An English LANG also selects English."
HELP_DEBUG = "Show the Python traceback of an error (for reporting bugs)."


class _DefaultToBuild(click.Group):
    """``gen-directive spec.yaml`` means ``gen-directive build spec.yaml``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        group_flags = {"--lang", "--debug", "--version", "--help", "-h"}
        index = 0
        while index < len(args):
            arg = args[index]
            if arg == "--lang":
                index += 2
                continue
            if arg.startswith("--lang=") or arg in group_flags:
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
            traceback.print_exc()
        click.echo(exc.message, err=True)
        ctx.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo(_("interrupted."), err=True)
        ctx.exit(130)
    except Exception as exc:  # a bug: say so plainly; the traceback is for --debug
        if debug:
            traceback.print_exc()
        click.echo(_("internal error ({kind}: {reason}); run again with --debug and report it.").format(kind=type(exc).__name__, reason=exc), err=True)
        ctx.exit(1)
    ctx.exit(code)


@click.group(cls=_DefaultToBuild, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None, help=HELP_LANG)
@click.option("--debug", is_flag=True, help=HELP_DEBUG)
@click.version_option(__version__, prog_name="gen-directive",
                      message=f"%(prog)s %(version)s ({Path(__file__).parent}, Python {sys.version.split()[0]})")
@click.pass_context
def main_group(ctx: click.Context, lang: str | None, debug: bool) -> None:
    """Generate Vietnamese official directives (.docx) from a YAML spec, and check any .docx."""
    set_language(lang)
    ctx.obj = {"debug": debug}


@main_group.command("build")
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help=HELP_OUTPUT)
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False), default=None, help=HELP_OUT_DIR)
@click.option("--pdf", is_flag=True, help=HELP_PDF)
@click.pass_context
def build_command(ctx: click.Context, specs: tuple[Path, ...], output: Path | None, out_dir: Path | None, pdf: bool) -> None:
    """Build SPEC.yaml into a .docx (several specs: a batch)."""
    from .commands.build import build_many

    _run(ctx, lambda: build_many(list(specs), output, out_dir, pdf))


@main_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--profile", type=click.Choice(["party", "party-hd36", "party-hd05", "state"]), default=None,
              help="Force the format profile instead of detecting it from the document.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="Report format.")
@click.pass_context
def check_command(ctx: click.Context, files: tuple[Path, ...], profile: str | None, output_format: str) -> None:
    """Check .docx files against the format rules (exit 0 conformant, 1 not, 2 unreadable)."""
    from .check import run_check

    _run(ctx, lambda: run_check(list(files), profile=profile, output_format=output_format))


@main_group.command("preview")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False), default=None, help="Folder for the PNG pages.")
@click.pass_context
def preview_command(ctx: click.Context, source: Path, out_dir: Path | None) -> None:
    """Render a spec or a .docx to PNG page images through LibreOffice."""
    from .commands.preview import preview

    def action() -> int:
        for page in preview(source, out_dir):
            click.echo(str(page))
        return 0

    _run(ctx, action)


def main(argv: list[str] | None = None) -> Any:
    return main_group.main(args=argv, prog_name="gen-directive", standalone_mode=True)


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
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
