"""``gen-directive init``: the identity, skeleton and slogans of a parent directive read from a .docx (ours
or any Word file), a text dump like the samples, or a spec; and the child spec written from them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import GOLDEN, ROOT, run_cli
from docxtext import body_paragraphs
from generator import registry as organ_registry
from generator.build import build_document, compose_spec
from generator.errors import SpecError
from generator.parent_reader import read_parent

SUBJECT_000 = ("tuyên truyền trước, trong và sau Hội nghị tổng kết 15 năm thực hiện Nghị quyết số 27-NQ/TW, ngày 06/8/2008 "
               "của Ban Chấp hành Trung ương Đảng khóa X về xây dựng đội ngũ trí thức trong thời kỳ đẩy mạnh công nghiệp hóa, "
               "hiện đại hóa đất nước")
SUBJECT_001 = ("Tuyên truyền và thực hiện Kết luận số 69-KL/TW, ngày 11/01/2024 của Bộ Chính trị; Kế hoạch số 116-KH/TU, ngày "
               "23/4/2024 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 69-KL/TW về tiếp tục thực hiện Nghị quyết số 20-NQ/TW, "
               "ngày 01/11/2012 của Ban Chấp hành Trung ương Đảng khóa XI “về phát triển khoa học và công nghệ phục vụ sự nghiệp "
               "công nghiệp hóa, hiện đại hóa trong điều kiện kinh tế thị trường định hướng xã hội chủ nghĩa và hội nhập quốc tế”")
SUBJECT_002 = "tuyên truyền kết quả Hội nghị Ban Chấp hành Trung ương Đảng giữa nhiệm kỳ khóa XIII"
SUBJECT_003 = "đẩy mạnh tuyên truyền về công tác xây dựng Đảng và hệ thống chính trị"
SUBJECT_004 = ("quán triệt, tuyên truyền Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị “Về đột phá phát triển khoa "
               "học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia”")

# The identity of each sample as read from the .docx we generate from its spec: everything.
FROM_DOCX = {
    "000": {"type": "Hướng dẫn", "number": "93", "symbol": "HD/BTGThU", "date": "2023-03-22",
            "issuer": "lai-chau/thanh-uy-lai-chau/ban-tuyen-giao", "subject": SUBJECT_000},
    "001": {"type": "Hướng dẫn", "number": "46", "symbol": "HD/BTGHU", "date": "2024-05-08",
            "issuer": "binh-duong/huyen-uy-phu-giao/ban-tuyen-giao", "subject": SUBJECT_001},
    "002": {"type": "Hướng dẫn", "number": "98", "symbol": "HD/BTGThU", "date": "2023-06-05",
            "issuer": "lai-chau/thanh-uy-lai-chau/ban-tuyen-giao", "subject": SUBJECT_002},
    "003": {"type": "Hướng dẫn", "number": "102", "symbol": "HD/BTGThU", "date": "2023-06-29",
            "issuer": "lai-chau/thanh-uy-lai-chau/ban-tuyen-giao", "subject": SUBJECT_003},
    "004": {"type": "Kế hoạch", "number": "76", "symbol": "KH/TU", "date": "2025-02-14",
            "issuer": "can-tho/thanh-uy", "subject": SUBJECT_004},
}
NOTHING = {"type": None, "number": None, "symbol": None, "date": None, "issuer": None}
# From the seed text dumps: what each seed shows (only 002 has a header), what cannot be read, and who acts.
FROM_TEXT = {
    "000": ({**NOTHING, "subject": SUBJECT_000}, ["number", "date", "issuer", "type"], "Ban Tuyên giáo Thành ủy"),
    "001": ({**NOTHING, "type": "Hướng dẫn", "subject": SUBJECT_001}, ["number", "date", "issuer"], "Ban Tuyên giáo Huyện ủy"),
    "002": (FROM_DOCX["002"], [], "Ban Tuyên giáo Thành ủy"),
    "003": ({**NOTHING, "type": "Hướng dẫn", "subject": SUBJECT_003}, ["number", "date", "issuer"], "Ban Tuyên giáo Thành ủy"),
    "004": ({**NOTHING, "type": "Kế hoạch", "subject": SUBJECT_004}, ["number", "date", "issuer"], "Ban Thường vụ Thành ủy"),
}
SKELETON_002 = [(1, "MỤC ĐÍCH, YÊU CẦU"), (2, "Mục đích"), (2, "Yêu cầu"), (1, "NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN"),
                (2, "Nội dung tuyên truyền"), (3, "Về nhìn lại nửa đầu nhiệm kỳ khóa XIII"),
                (3, "Về phương hướng, nhiệm vụ trọng tâm từ nay đến hết nhiệm kỳ Đại hội XIII của Đảng"),
                (3, "Về lấy phiếu tín nhiệm của Ban Chấp hành Trung ương đối với các đồng chí ủy viên Bộ Chính trị, ủy viên Ban Bí thư khóa XIII"),
                (3, "Một số vấn đề quan trọng khác của Hội nghị Trung ương giữa nhiệm kỳ khóa XIII"),
                (2, "Hình thức tuyên truyền"), (1, "TỔ CHỨC THỰC HIỆN"), (2, "Các cơ quan làm công tác tuyên truyền thành phố")]


pytestmark = pytest.mark.usefixtures("english")  # pinned messages are the English ones


def _docx_for(seed: str, built: dict[str, Path]) -> Path:
    return next(path for name, path in built.items() if name.startswith(seed + "-"))


@pytest.mark.parametrize("seed", sorted(FROM_DOCX))
def test_identity_from_our_docx(seed: str, built_examples: dict[str, Path]) -> None:
    parent = read_parent(_docx_for(seed, built_examples), organ_registry.shipped())
    assert parent.identity() == FROM_DOCX[seed]
    assert parent.missing == []


@pytest.mark.parametrize("seed", sorted(FROM_TEXT))
def test_identity_from_the_seed_text(seed: str) -> None:
    identity, missing, actor = FROM_TEXT[seed]
    parent = read_parent(GOLDEN / f"{seed}.txt", organ_registry.shipped())
    assert parent.identity() == identity
    assert parent.missing == missing
    assert parent.actor_hint == actor


def test_skeleton_and_slogans_from_text_and_docx_agree(built_examples: dict[str, Path]) -> None:
    for parent in (read_parent(GOLDEN / "002.txt", organ_registry.shipped()),
                   read_parent(_docx_for("002", built_examples), organ_registry.shipped())):
        assert [(h.level, h.title) for h in parent.sections] == SKELETON_002
        assert len(parent.slogans) == 16 and parent.slogans[-1] == "Chủ tịch Hồ Chí Minh vĩ đại sống mãi trong sự nghiệp của chúng ta!"
        assert (parent.roman, parent.letter, parent.issuer_area) == ("I.", "a.", "thành phố Lai Châu")


def test_a_word_file_made_by_hand(tmp_path: Path) -> None:
    """Not ours: the organ block in one cell with a line break, old tone marks ("UỶ"), "Số:" with a colon (as
    web copies print it), a drawn line instead of "-----" is absent, a KHẨU HIỆU section with dashes."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("THÀNH UỶ LAI CHÂU").add_break()
    left.paragraphs[0].add_run("BAN TUYÊN GIÁO")
    left.add_paragraph("*")
    left.add_paragraph("Số: 98-HD/BTGThU")
    right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM")
    right.add_paragraph("TP. Lai Châu, ngày 05 tháng 6 năm 2023")
    for text in ["HƯỚNG DẪN", "tuyên truyền kết quả Hội nghị", "Ban Chấp hành Trung ương Đảng giữa nhiệm kỳ khóa XIII",
                 "Thực hiện Hướng dẫn số 120-HD/BTGTU, ngày 01/6/2023 của Ban Tuyên giáo Tỉnh ủy Lai Châu về …; Ban Tuyên giáo "
                 "Thành ủy hướng dẫn công tác tuyên truyền trên địa bàn thành phố như sau:",
                 "I- MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "- Tuyên truyền sâu rộng.", "a) Trước Hội nghị", "Nội dung.",
                 "II- MỘT SỐ KHẨU HIỆU", "- Đảng bộ, Nhân dân các dân tộc thành phố Lai Châu đoàn kết!",
                 "- Đảng Cộng sản Việt Nam quang vinh muôn năm!", "Nơi nhận:", "- Như trên,"]:
        document.add_paragraph(text)
    path = tmp_path / "real.docx"
    document.save(str(path))
    parent = read_parent(path, organ_registry.shipped())
    assert parent.identity() == FROM_DOCX["002"]
    assert [(h.level, h.title) for h in parent.sections] == [(1, "MỤC ĐÍCH, YÊU CẦU"), (2, "Mục đích"), (4, "Trước Hội nghị")]
    assert (parent.roman, parent.letter, parent.slogans_title) == ("I-", "a)", "MỘT SỐ KHẨU HIỆU")
    assert parent.slogans == ["Đảng bộ, Nhân dân các dân tộc thành phố Lai Châu đoàn kết!", "Đảng Cộng sản Việt Nam quang vinh muôn năm!"]


def test_an_unknown_organ_gets_a_guessed_running_name(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    # Hà Tây joined Hà Nội in 2008: no registry knows it
    path.write_text("TỈNH ỦY HÀ TÂY\nBAN TUYÊN GIÁO VÀ DÂN VẬN\n*\nSố 12-HD/BTGDVTU\nHà Đông, ngày 02 tháng 3 năm 2026\n"
                    "HƯỚNG DẪN\ntuyên truyền\n-----\nThực hiện …\nI. MỤC ĐÍCH\n", encoding="utf-8")
    parent = read_parent(path, organ_registry.shipped())
    assert parent.issuer_id is None
    assert parent.issuer_name == "Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tây"
    assert any("not in the registry" in note for note in parent.notes)


def test_a_parent_from_anywhere_in_the_country_is_recognised(tmp_path: Path) -> None:
    """The generated registry (data/registry/) knows every province's boards."""
    path = tmp_path / "x.txt"
    path.write_text("TỈNH ỦY ĐIỆN BIÊN\nBAN TUYÊN GIÁO VÀ DÂN VẬN\n*\nSố 12-HD/BTGDVTU\nĐiện Biên, ngày 02 tháng 3 năm 2026\n"
                    "HƯỚNG DẪN\ntuyên truyền\n-----\nThực hiện …\nI. MỤC ĐÍCH\n", encoding="utf-8")
    parent = read_parent(path, organ_registry.shipped())
    assert parent.issuer_id == "dien-bien/tinh-uy/ban-tuyen-giao-va-dan-van"
    assert parent.issuer_name == "Ban Tuyên giáo và Dân vận Tỉnh ủy Điện Biên"


# ---------------------------------------------------------------------------------------------- the command


def test_init_from_a_docx_writes_a_child_that_builds(tmp_path: Path, built_examples: dict[str, Path]) -> None:
    child = tmp_path / "child.yaml"
    result = run_cli("--lang", "en", "init", "--from", _docx_for("002", built_examples), "--issuer",
                     "lai-chau/dang-uy-phuong-tan-phong", "--date", "2026-02-01", "-o", child)
    assert result.returncode == 0, result.stderr
    assert "read: type, number and symbol, date, issuer, trích yếu, 12 section headings, 16 slogans" in result.stderr
    text = child.read_text(encoding="utf-8")
    assert "# In 2 slogan(s) “thành phố Lai Châu” became {{ issuer.area }} (“phường Tân Phong”)." in text
    spec = yaml.safe_load(text)
    assert spec["issuer"] == "lai-chau/dang-uy-phuong-tan-phong" and spec["draft"] is True
    assert spec["implements"] == [{"type": "Hướng dẫn", "number": "98", "symbol": "HD/BTGThU", "date": __import__("datetime").date(2023, 6, 5),
                                   "issuer": "lai-chau/thanh-uy-lai-chau/ban-tuyen-giao", "subject": SUBJECT_002}]
    assert "## Mục đích\n\nTODO: write “Mục đích” for Đảng ủy phường." in spec["body"]
    built = build_document(child, tmp_path / "child.docx")
    paragraphs = body_paragraphs(built.output)
    assert paragraphs[:5] == ["Dự thảo", "ĐẢNG BỘ TỈNH LAI CHÂU", "ĐẢNG ỦY PHƯỜNG TÂN PHONG", "*", "Số     -HD/ĐU"]  # a draft: its mark first
    assert any(p.startswith("Thực hiện Hướng dẫn số 98-HD/BTGThU, ngày 05/6/2023 của Ban Tuyên giáo Thành ủy Lai Châu về") for p in paragraphs)
    assert "11. Đảng bộ, Nhân dân các dân tộc phường Tân Phong quyết tâm thực hiện thắng lợi Nghị quyết Đại hội Đảng bộ thành phố lần thứ IV, Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIV; Nghị quyết Đại hội lần thứ XIII của Đảng!" in paragraphs


def test_init_from_a_text_says_what_it_could_not_read(tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    result = run_cli("--lang", "en", "init", "--from", GOLDEN / "000.txt", "--issuer", "lai-chau/dang-uy-xa-binh-lu",
                     "--date", "2026-02-01", "-o", child)
    assert result.returncode == 0, result.stderr
    assert "could not read: the number and symbol" in result.stderr
    text = child.read_text(encoding="utf-8")
    assert "# Could not read (marked TODO below): the number and symbol" in text
    assert '# Note: its opening names the actor "Ban Tuyên giáo Thành ủy"' in text
    with pytest.raises(SpecError) as caught:  # the parent's date is the clerk's to write: the spec says where
        compose_spec(child, display="child.yaml")
    assert "implements[0].date: expected a date written YYYY-MM-DD" in caught.value.message


def test_init_refuses_a_ceased_organ_naming_its_successor(tmp_path: Path) -> None:
    result = run_cli("--lang", "en", "init", "--from", GOLDEN / "002.txt", "--issuer", "lai-chau/thanh-uy-lai-chau",
                     "--date", "2026-02-01", "-o", tmp_path / "c.yaml")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "--issuer lai-chau/thanh-uy-lai-chau on 01/02/2026: Thành ủy Lai Châu ceased on 30/6/2025; its successors are "
        "Đảng ủy phường Tân Phong (lai-chau/dang-uy-phuong-tan-phong), Đảng ủy phường Đoàn Kết (lai-chau/dang-uy-phuong-doan-ket).")
    assert not (tmp_path / "c.yaml").exists()


def test_init_does_not_overwrite_without_force(tmp_path: Path) -> None:
    child = tmp_path / "c.yaml"
    child.write_text("keep", encoding="utf-8")
    args = ["--lang", "en", "init", "--from", GOLDEN / "002.txt", "--issuer", "lai-chau/dang-uy-xa-binh-lu", "--date", "2026-02-01", "-o", child]
    assert run_cli(*args).returncode == 2
    assert child.read_text(encoding="utf-8") == "keep"
    assert run_cli(*args, "--force").returncode == 0
    assert child.read_text(encoding="utf-8").startswith("# Spec written by `gen-directive init`")


def test_init_help_is_listed() -> None:
    result = run_cli("--lang", "en", "--help", cwd=ROOT)
    assert "init" in result.stdout and "cascade" in result.stdout


def test_a_word_file_whose_headings_word_numbers_itself(tmp_path: Path) -> None:
    """Headings numbered by a Word list: the number is not in the text, the list format says it."""
    import docx

    document = docx.Document()
    for text in ["HƯỚNG DẪN", "tuyên truyền", "-----", "Thực hiện …; Ban Tuyên giáo Thành ủy hướng dẫn như sau:",
                 "I. MỤC ĐÍCH, YÊU CẦU"]:
        document.add_paragraph(text)
    document.add_paragraph("Mục đích", style="List Number")
    document.add_paragraph("Tuyên truyền sâu rộng.", style="List Bullet")
    document.add_paragraph("Yêu cầu", style="List Number")
    path = tmp_path / "auto.docx"
    document.save(str(path))
    parent = read_parent(path, organ_registry.shipped())
    assert [(h.level, h.title) for h in parent.sections] == [(1, "MỤC ĐÍCH, YÊU CẦU"), (2, "Mục đích"), (2, "Yêu cầu")]
    assert parent.missing == ["number", "date", "issuer"]
