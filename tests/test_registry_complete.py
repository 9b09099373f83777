"""Registry completeness: every hand-written organ (data/organs/*.yaml) gives recipients, a signer's title and
its signing authority; an organ of the clerk's own registry that gives none is named in the messages, one per
missing field, so the clerk knows what to write."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import run_cli
from generator import registry

ORGANS = Path(__file__).resolve().parents[1] / "data" / "organs"


def _hand_written_ids() -> list[str]:
    ids: list[str] = []
    for path in sorted(ORGANS.glob("*.yaml")):
        ids.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["organs"])
    return ids


def test_every_hand_written_organ_has_recipients_a_title_and_an_authority() -> None:
    shipped = registry.shipped()
    ids = _hand_written_ids()
    assert len(ids) >= 30 and "lai-chau/huyen-uy-tam-duong" in ids and "tw" in ids
    missing = []
    for organ_id in ids:
        organ = shipped.get(organ_id)
        signature = organ.signature or {}
        for field, absent in (("recipients", not organ.recipients), ("signature.title", not signature.get("title")),
                              ("signature.authority", signature.get("authority") is None)):
            if absent:
                missing.append(f"{organ_id}: {field}")
    assert missing == []


def test_huyen_uy_tam_duong_fills_the_closing(tmp_path: Path) -> None:
    spec = tmp_path / "kh.yaml"
    spec.write_text("type: ke-hoach\nissuer: lai-chau/huyen-uy-tam-duong\nnumber: 12\ndate: 2020-04-10\nsubject: thử\n"
                    "opening: {text: Mở đầu.}\nbody: Nội dung.\nsignature: {name: Nguyễn Văn A}\n", encoding="utf-8")
    from generator.build import compose_spec

    document, _ = compose_spec(spec)
    closing = document.closing
    assert (closing.authority_line, closing.title_line) == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")
    assert closing.recipients[0] == "- Ban Thường vụ Tỉnh ủy (b/c),"


def test_an_organ_without_them_is_named_field_by_field(tmp_path: Path) -> None:
    (tmp_path / "own.yaml").write_text(
        "organs:\n  lai-chau/dang-uy-xa-moi:\n    name: Đảng ủy xã Mới\n    level: commune\n    superior: lai-chau/tinh-uy\n"
        "    symbol: ĐU\n    place: Mới\n", encoding="utf-8")
    spec = tmp_path / "kh.yaml"
    spec.write_text("type: ke-hoach\nregistry: [own.yaml]\nissuer: lai-chau/dang-uy-xa-moi\nnumber: 12\ndate: 2026-04-10\n"
                    "subject: thử\nopening: {text: Mở đầu.}\nbody: Nội dung.\nsignature: {name: Nguyễn Văn A}\n", encoding="utf-8")
    result = run_cli("--lang", "en", spec)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"{spec}:1:1: recipients: the registry gives no recipients for lai-chau/dang-uy-xa-moi; write recipients:.",
        f"{spec}:9:1: signature: the registry gives no signer's title for lai-chau/dang-uy-xa-moi; write signature.title:.",
        f"{spec}:9:1: signature: the registry gives no signing authority for lai-chau/dang-uy-xa-moi; write signature.authority: "
        "(T/M, K/T, T/L, Q., or \"\" when the head signs in their own name).",
    ], result.stderr
