"""The present-day chain in examples/chain/ (Trung ương → Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu → Đảng ủy
phường Tân Phong): every level builds, shows its organ's header, number, place and date, cites the level above
exactly, passes ``gen-directive check``; and ``cascade`` derives each level's parent identity from the level
above."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, build_all, run_cli
from docxtext import body_paragraphs
from generator.build import build_document

CHAIN = EXAMPLES / "chain"
LEVELS = {
    "1-trung-uong": {
        "header": ["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "*", "Số 71-HD/BTGDVTW"],
        "date_line": "Hà Nội, ngày 18 tháng 11 năm 2025",
        "type": "HƯỚNG DẪN",
        "opening": "Thực hiện chỉ đạo của Ban Bí thư về tổ chức kỷ niệm các ngày lễ lớn, sự kiện lịch sử quan trọng năm 2026, "
                   "Ban Tuyên giáo và Dân vận Trung ương hướng dẫn công tác tuyên truyền như sau:",
        "closing": ["- Lưu Văn phòng Ban.", "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Trần Văn Minh"],
    },
    "2-lai-chau-btgdvtu": {
        "header": ["TỈNH ỦY LAI CHÂU", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "*", "Số 45-HD/BTGDVTU"],
        "date_line": "Lai Châu, ngày 28 tháng 11 năm 2025",
        "type": "HƯỚNG DẪN",
        "opening": "Thực hiện Hướng dẫn số 71-HD/BTGDVTW, ngày 18/11/2025 của Ban Tuyên giáo và Dân vận Trung ương về tuyên "
                   "truyền kỷ niệm 80 năm Ngày Tổng tuyển cử đầu tiên bầu Quốc hội Việt Nam (06/01/1946 - 06/01/2026); Ban "
                   "Tuyên giáo và Dân vận Tỉnh ủy hướng dẫn công tác tuyên truyền trên địa bàn tỉnh như sau:",
        "closing": ["- Lưu BTGDVTU.", "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Lò Văn Thành"],
    },
    "3-tan-phong": {
        "header": ["ĐẢNG BỘ TỈNH LAI CHÂU", "ĐẢNG ỦY PHƯỜNG TÂN PHONG", "*", "Số 12-KH/ĐU"],
        "date_line": "Tân Phong, ngày 05 tháng 12 năm 2025",
        "type": "KẾ HOẠCH",
        "opening": "Thực hiện Hướng dẫn số 45-HD/BTGDVTU, ngày 28/11/2025 của Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu về "
                   "tuyên truyền kỷ niệm 80 năm Ngày Tổng tuyển cử đầu tiên bầu Quốc hội Việt Nam (06/01/1946 - 06/01/2026); "
                   "Ban Thường vụ Đảng ủy phường ban hành Kế hoạch thực hiện trên địa bàn phường, cụ thể như sau:",
        "closing": ["- Lưu Văn phòng Đảng ủy.", "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Vàng Thị Mai"],
    },
}


pytestmark = pytest.mark.usefixtures("english")  # pinned messages are the English ones


@pytest.fixture(scope="module")
def chain_built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(sorted(CHAIN.glob("*.yaml")), tmp_path_factory.mktemp("chain"))


def test_the_chain_has_three_levels() -> None:
    assert sorted(p.stem for p in CHAIN.glob("*.yaml")) == sorted(LEVELS)


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_every_level_builds_with_its_organ(level: str, chain_built: dict[str, Path]) -> None:
    facts = LEVELS[level]
    paragraphs = body_paragraphs(chain_built[level])
    assert paragraphs[:4] == facts["header"]
    assert facts["date_line"] in paragraphs
    assert facts["type"] in paragraphs
    opening = next(p for p in paragraphs if p.startswith("Thực hiện"))
    assert opening == facts["opening"]
    assert paragraphs[-4:] == facts["closing"]
    slogans = [p for p in paragraphs if "thi đua lập thành tích chào mừng cuộc bầu cử" in p]
    if level != "1-trung-uong":  # the slogan written with {{ issuer.area }} reads each level's locality
        area = "tỉnh Lai Châu" if level.startswith("2") else "phường Tân Phong"
        assert len(slogans) == 1 and f"Nhân dân các dân tộc {area} thi đua" in slogans[0]


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_every_level_passes_check(level: str, chain_built: dict[str, Path]) -> None:
    from generator.check import run_check

    report = io.StringIO()
    assert run_check([chain_built[level]], stream=report) == 0, report.getvalue()


def _identity(spec: dict) -> dict:
    return spec["implements"][0]


@pytest.mark.parametrize("upper,lower,organ,extra", [
    ("1-trung-uong", "2-lai-chau-btgdvtu", "lai-chau/tinh-uy/ban-tuyen-giao-va-dan-van", []),
    ("2-lai-chau-btgdvtu", "3-tan-phong", "lai-chau/dang-uy-phuong-tan-phong", ["--type", "ke-hoach"]),
])
def test_cascade_derives_each_levels_parent(upper: str, lower: str, organ: str, extra: list[str], tmp_path: Path) -> None:
    written = yaml.safe_load((CHAIN / f"{lower}.yaml").read_text(encoding="utf-8"))
    child = tmp_path / "child.yaml"
    result = run_cli("--lang", "en", "cascade", CHAIN / f"{upper}.yaml", "--to", organ, "--date", written["date"].isoformat(),
                     "-o", child, *extra)
    assert result.returncode == 0, result.stderr
    derived = yaml.safe_load(child.read_text(encoding="utf-8"))
    assert _identity(derived) == _identity(written)
    assert (derived["issuer"], derived["type"]) == (written["issuer"], written["type"])
    # what cascade writes builds as it is (a draft with TODOs), the registry filling in the rest
    paragraphs = body_paragraphs(build_document(child, tmp_path / "child.docx").output)
    assert paragraphs[0] == "Dự thảo"  # the Party draft mark (profile party-hd36/hd05: draft_mark)
    assert paragraphs[1:3] == LEVELS[lower]["header"][:2]
    assert any(p.startswith("TODO: write") for p in paragraphs)


def test_cascade_starts_from_a_spec_only(tmp_path: Path, chain_built: dict[str, Path]) -> None:
    result = run_cli("--lang", "en", "cascade", chain_built["1-trung-uong"], "--to", "lai-chau/tinh-uy", "-o", tmp_path / "x.yaml")
    assert result.returncode == 2
    assert "cascade starts from one of our specs (.yaml)" in result.stderr


def test_cascade_refuses_a_child_dated_before_its_parent(tmp_path: Path) -> None:
    result = run_cli("--lang", "en", "cascade", CHAIN / "2-lai-chau-btgdvtu.yaml", "--to", "lai-chau/dang-uy-xa-binh-lu",
                     "--date", "2025-11-01", "-o", tmp_path / "x.yaml")
    assert result.returncode == 2
    assert "the parent is dated 28/11/2025, after this document (01/11/2025)" in result.stderr


def test_cascade_to_an_organ_before_it_existed(tmp_path: Path) -> None:
    result = run_cli("--lang", "en", "cascade", CHAIN / "1-trung-uong.yaml", "--to", "lai-chau/dang-uy-xa-binh-lu",
                     "--date", "2025-06-20", "-o", tmp_path / "x.yaml")
    assert result.returncode == 2
    assert "Đảng ủy xã Bình Lư was established on 01/7/2025" in result.stderr
