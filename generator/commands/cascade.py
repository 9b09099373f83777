"""``gen-directive cascade SPEC --to ORGAN [-o child.yaml]``: the spec of the next level down, from one of our
specs. The derivation is ``init``'s (:mod:`generator.commands.init`), with the parent's identity taken
exactly from the spec (its number, its organ's symbol, its date, its registry id), so a chain such as
Trung ương → Ban Tuyên giáo và Dân vận Tỉnh ủy → Đảng ủy xã is produced one level at a time::

    gen-directive cascade examples/chain/1-trung-uong.yaml --to lai-chau/tinh-uy/ban-tuyen-giao-va-dan-van -o 2.yaml

A spec that names registry files of its own (``registry:``) passes them on to the child.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..i18n import _
from .init import write_child


def cascade_command(spec: Path, organ_id: str, output: Path | None, date: str | None, type_id: str | None,
                    force: bool, registry_files: tuple[Path, ...] = ()) -> int:
    if spec.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(_("{file}: cascade starts from one of our specs (.yaml); for a Word file or a text use init --from.").format(file=spec))
    if not spec.exists():
        raise UsageError(_("{file}: file not found.").format(file=spec))
    if not registry_files:
        registry_files = tuple(_own_registry(spec))
    return write_child(spec, organ_id, output, date, type_id, force, registry_files, command="cascade")


def _own_registry(spec: Path) -> list[Path]:
    """The registry files the parent spec names (relative to its folder), for the child to use too."""
    from ..build import load_spec

    parsed, loaded = load_spec(spec)
    return [spec.parent / name for name in parsed.registry]
