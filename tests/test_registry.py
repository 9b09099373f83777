"""The organ registry (data/organs/), specs that name their organs by id, and the body templates.

Messages are compared in English (``set_language("en")``), so a translation never breaks a test.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, MINIMAL_SPEC, ROOT
from docxtext import body_paragraphs
from generator import registry as organ_registry
from generator.build import build_document, compose_spec
from generator.errors import SpecError, UnsafeInput

SAMPLES = ["000-tri-thuc-nq27", "001-ket-luan-69", "002-hoi-nghi-giua-nhiem-ky", "003-xay-dung-dang", "004-ke-hoach-nq57"]
# Line counts of the five sample specs before the registry and the body templates (commit b28a49d).
LINES_BEFORE = {"000-tri-thuc-nq27": 98, "001-ket-luan-69": 104, "002-hoi-nghi-giua-nhiem-ky": 142,
                "003-xay-dung-dang": 85, "004-ke-hoach-nq57": 100}


pytestmark = pytest.mark.usefixtures("english")  # pinned messages are the English ones


def spec_file(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, display: str | None = None) -> str:
    """The located problems of a spec. The display name is the path itself when the spec names files of its
    own (the loader keeps only the name shown, and the spec's folder is taken from it)."""
    with pytest.raises(SpecError) as caught:
        compose_spec(path, display=display or path.name)
    return caught.value.message




# ---------------------------------------------------------------------------------------------- the data


def test_shipped_registry_derives_bodies_from_their_committee() -> None:
    reg = organ_registry.shipped()
    btg = reg.get("lai-chau/thanh-uy-lai-chau/ban-tuyen-giao")
    assert (btg.header_superior, btg.name, btg.symbol) == ("Thành ủy Lai Châu", "Ban Tuyên giáo", "BTGThU")
    assert (btg.short_name, btg.full_name) == ("Ban Tuyên giáo Thành ủy", "Ban Tuyên giáo Thành ủy Lai Châu")
    assert (btg.place, btg.locality, btg.area) == ("TP. Lai Châu", "thành phố", "thành phố Lai Châu")
    assert btg.valid_until == dt.date(2025, 6, 30)          # a body lives no longer than its committee
    assert reg.get("lai-chau/tinh-uy/ban-tuyen-giao-va-dan-van").symbol == "BTGDVTU"
    assert reg.get("tw/ban-tuyen-giao-va-dan-van").symbol == "BTGDVTW"
    assert reg.get("binh-duong/huyen-uy-phu-giao/ban-tuyen-giao").symbol == "BTGHU"
    commune = reg.get("lai-chau/dang-uy-xa-ban-bo")           # "like:" a sibling, through another "like:"
    assert (commune.header_superior, commune.symbol, commune.locality, commune.actor) == (
        "Đảng bộ tỉnh Lai Châu", "ĐU", "xã", "Ban Thường vụ Đảng ủy xã")
    assert commune.signature == {"authority": "T/M", "on_behalf": "Ban Thường vụ", "title": "Bí thư"}


def test_recipients_follow_the_document_date() -> None:
    can_tho = organ_registry.shipped().get("can-tho/thanh-uy")
    before = [r.text for r in can_tho.recipients_on(dt.date(2025, 1, 20))]
    after = [r.text for r in can_tho.recipients_on(dt.date(2025, 8, 1))]
    assert before[:2] == ["Ban Tuyên giáo Trung ương", "Các quận ủy, huyện ủy"]
    assert after[:2] == ["Ban Tuyên giáo và Dân vận Trung ương", "Các đảng ủy xã, phường"]


# ---------------------------------------------------------------------------------------------- dates


def test_a_huyen_uy_in_2026_names_its_successors(tmp_path: Path) -> None:
    path = spec_file(tmp_path, MINIMAL_SPEC.format(issuer="lai-chau/huyen-uy-tam-duong", date="2026-03-02"))
    assert problems_of(path) == (
        "spec.yaml:3:1: issuer: Huyện ủy Tam Đường ceased on 30/6/2025; its successors are "
        "Đảng ủy xã Bình Lư (lai-chau/dang-uy-xa-binh-lu), Đảng ủy xã Bản Bo (lai-chau/dang-uy-xa-ban-bo), "
        "Đảng ủy xã Tả Lèng (lai-chau/dang-uy-xa-ta-leng), Đảng ủy xã Khun Há (lai-chau/dang-uy-xa-khun-ha).")


def test_a_merged_ban_names_its_one_successor(tmp_path: Path) -> None:
    path = spec_file(tmp_path, MINIMAL_SPEC.format(issuer="{id: lai-chau/tinh-uy/ban-tuyen-giao}", date="2025-04-01"))
    assert problems_of(path) == (
        "spec.yaml:3:1: issuer: Ban Tuyên giáo Tỉnh ủy Lai Châu ceased on 28/02/2025; its successor is "
        "Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu (lai-chau/tinh-uy/ban-tuyen-giao-va-dan-van).")


def test_an_organ_before_it_existed_names_its_predecessor(tmp_path: Path) -> None:
    text = MINIMAL_SPEC.format(issuer="lai-chau/dang-uy-xa-binh-lu", date="2026-03-02").replace(
        'opening: {text: "Mở đầu."}\n',
        "implements:\n  - {type: huong-dan, number: 3, date: 2024-03-01, issuer: lai-chau/tinh-uy/ban-tuyen-giao-va-dan-van, subject: x}\n")
    message = problems_of(spec_file(tmp_path, text))
    assert message == (
        "spec.yaml:7:52: implements[0].issuer: Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu was established on 01/3/2025, "
        "after this date (01/3/2024); before it: Ban Tuyên giáo Tỉnh ủy Lai Châu (lai-chau/tinh-uy/ban-tuyen-giao).")


def test_an_unknown_id_suggests_the_nearest(tmp_path: Path) -> None:
    message = problems_of(spec_file(tmp_path, MINIMAL_SPEC.format(issuer="lai-chau/dang-uy-xa-binh-luu", date="2026-03-02")))
    assert message.startswith('spec.yaml:3:1: issuer: unknown organ "lai-chau/dang-uy-xa-binh-luu". Did you mean "lai-chau/dang-uy-xa-binh-lu"?')


def test_an_organ_name_is_not_an_id(tmp_path: Path) -> None:
    message = problems_of(spec_file(tmp_path, MINIMAL_SPEC.format(issuer="Ban Tuyên giáo", date="2023-03-02")))
    assert message.startswith('spec.yaml:3:1: issuer: "Ban Tuyên giáo" is not an organ id')


# ---------------------------------------------------------------------------------------------- filling in


def test_the_registry_fills_header_place_recipients_and_signature(tmp_path: Path) -> None:
    text = MINIMAL_SPEC.format(issuer="lai-chau/dang-uy-xa-binh-lu", date="2026-03-02").replace(
        "signature: {name: Nguyễn Văn A}", "signature: {title: Phó Bí thư, name: Nguyễn Văn A}")
    result = build_document(spec_file(tmp_path, text), tmp_path / "out.docx")
    paragraphs = body_paragraphs(result.output)
    assert paragraphs[:4] == ["ĐẢNG BỘ TỈNH LAI CHÂU", "ĐẢNG ỦY XÃ BÌNH LƯ", "*", "Số 05-HD/ĐU"]
    assert "Bình Lư, ngày 02 tháng 3 năm 2026" in paragraphs
    assert "- Các đồng chí Ủy viên Ban Chấp hành Đảng bộ xã," in paragraphs   # "{{ issuer.locality }}" in the registry
    assert paragraphs[-3:] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn A"]


def test_spec_values_override_the_registry(tmp_path: Path) -> None:
    text = MINIMAL_SPEC.format(issuer="{id: lai-chau/dang-uy-xa-binh-lu, name: Đảng ủy xã Bình Lư mới}", date="2026-03-02") + (
        "place: Xã Bình Lư\nrecipients: [Như trên]\narchive: VP\n")
    result = build_document(spec_file(tmp_path, text), tmp_path / "out.docx")
    paragraphs = body_paragraphs(result.output)
    assert "ĐẢNG ỦY XÃ BÌNH LƯ MỚI" in paragraphs
    assert "Xã Bình Lư, ngày 02 tháng 3 năm 2026" in paragraphs
    assert ["- Như trên,", "- Lưu VP."] == [p for p in paragraphs if p.startswith("- ")]


def test_a_parent_named_by_id_gets_its_symbol_and_full_name(tmp_path: Path) -> None:
    text = MINIMAL_SPEC.format(issuer="lai-chau/dang-uy-xa-binh-lu", date="2026-03-02").replace(
        'opening: {text: "Mở đầu."}\n',
        "implements:\n  - {type: huong-dan, number: 7, date: 2026-01-05, issuer: lai-chau/tinh-uy/ban-tuyen-giao-va-dan-van, subject: tuyên truyền}\n")
    result = build_document(spec_file(tmp_path, text), tmp_path / "out.docx")
    opening = next(p for p in body_paragraphs(result.output) if p.startswith("Thực hiện"))
    assert opening == ("Thực hiện Hướng dẫn số 7-HD/BTGDVTU, ngày 05/01/2026 của Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu "
                       "về tuyên truyền; Ban Thường vụ Đảng ủy xã hướng dẫn công tác tuyên truyền trên địa bàn xã như sau:")


def test_a_clerks_own_registry_file(tmp_path: Path) -> None:
    (tmp_path / "my-organs.yaml").write_text("""\
organs:
  lai-chau/dang-uy-xa-binh-lu/chi-bo-ban-1:
    name: Chi bộ bản 1
    superior: lai-chau/dang-uy-xa-binh-lu
    header_superior: Đảng bộ xã Bình Lư
    level: cell
    symbol: CB
    place: Bình Lư
    locality: bản
    area: bản 1
    recipients: [Đảng ủy xã (b/c)]
    signature: {authority: T/M, on_behalf: Chi bộ, title: Bí thư}
""", encoding="utf-8")
    text = "registry: [my-organs.yaml]\n" + MINIMAL_SPEC.format(issuer="lai-chau/dang-uy-xa-binh-lu/chi-bo-ban-1", date="2026-03-02")
    result = build_document(spec_file(tmp_path, text), tmp_path / "out.docx")
    paragraphs = body_paragraphs(result.output)
    assert paragraphs[:4] == ["ĐẢNG BỘ XÃ BÌNH LƯ", "CHI BỘ BẢN 1", "*", "Số 05-HD/CB"]
    assert paragraphs[-3:] == ["T/M CHI BỘ", "BÍ THƯ", "Nguyễn Văn A"]


def test_registry_file_errors_are_located_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "my-organs.yaml").write_text("""\
organs:
  lai-chau/tinh-uy/ban-to-chuc:
    name: Ban Tổ chức
    kind: body
    superior: lai-chau/tinh-uy
    abbreviation: BTC
    symbol: BTCThU
  lai-chau/dang-uy-xa-binh-lu:
    name: Trùng
    symbol: X
""", encoding="utf-8")
    text = "registry: [my-organs.yaml]\n" + MINIMAL_SPEC.format(issuer="lai-chau/dang-uy-xa-binh-lu", date="2026-03-02")
    path = spec_file(tmp_path, text)
    message = problems_of(path, str(path))
    assert (f'{tmp_path}/my-organs.yaml:8:3: organs["lai-chau/dang-uy-xa-binh-lu"]: the organ "lai-chau/dang-uy-xa-binh-lu" '
            "is already defined in data/organs/lai-chau.yaml") in message
    (tmp_path / "my-organs.yaml").write_text("\n".join((tmp_path / "my-organs.yaml").read_text(encoding="utf-8").splitlines()[:7]) + "\n", encoding="utf-8")
    message = problems_of(path, str(path))
    assert message == (f'{tmp_path}/my-organs.yaml:7:5: organs["lai-chau/tinh-uy/ban-to-chuc"].symbol: the symbol of a body is its '
                       "abbreviation plus its committee's symbol: BTC + TU = BTCTU, not BTCThU.")


def test_a_registry_file_outside_the_spec_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("organs: {}\n", encoding="utf-8")
    folder = tmp_path / "specs"
    folder.mkdir()
    path = spec_file(folder, "registry: [../outside.yaml]\n" + MINIMAL_SPEC.format(issuer="lai-chau/dang-uy-xa-binh-lu", date="2026-03-02"))
    with pytest.raises(UnsafeInput) as caught:
        compose_spec(path, display="spec.yaml")
    assert caught.value.message.startswith('spec.yaml:1:12: registry[0]: "../outside.yaml" is outside the spec\'s folder')


# ---------------------------------------------------------------------------------------------- body templates


TEMPLATED = MINIMAL_SPEC.replace("body: |\n  # MỤC ĐÍCH\n  Nội dung.\n", "body_template: huong-dan-tuyen-truyen\nblocks:\n{blocks}")


def test_unknown_block_and_errors_in_block_texts_are_located(tmp_path: Path) -> None:
    blocks = "  muc_dichh: x\n  muc_dich: |\n    - a\n    - {{ nope }}\n  noi_dung: x\n"
    message = problems_of(spec_file(tmp_path, TEMPLATED.format(issuer="lai-chau/dang-uy-xa-binh-lu", date="2026-03-02", blocks=blocks)))
    lines = message.splitlines()
    assert lines[0].startswith('spec.yaml:9:3: blocks.muc_dichh: the template huong-dan-tuyen-truyen has no block "muc_dichh". Did you mean "muc_dich"?')
    # After our words, Jinja's own ("'nope' is undefined"): only the name is asserted in it.
    assert lines[1].startswith("spec.yaml:10:3: blocks.muc_dich: in this text (its line 2): ") and "nope" in lines[1].split(": ", 3)[3]


def test_a_block_only_the_spec_can_fill(tmp_path: Path) -> None:
    message = problems_of(spec_file(tmp_path, TEMPLATED.format(issuer="lai-chau/dang-uy-xa-binh-lu", date="2026-03-02", blocks="  noi_dung: x\n")))
    assert message == 'spec.yaml:8:1: blocks: the body template needs your text for block "muc_dich" (the aims, as dash items): add it under blocks:.'


def test_a_sandbox_escape_in_a_block_is_refused(tmp_path: Path) -> None:
    blocks = "  muc_dich: \"{{ ''.__class__.__mro__ }}\"\n  yeu_cau: x\n  noi_dung: x\n"
    path = spec_file(tmp_path, TEMPLATED.format(issuer="lai-chau/dang-uy-xa-binh-lu", date="2026-03-02", blocks=blocks))
    with pytest.raises(UnsafeInput) as caught:
        compose_spec(path, display=path.name)
    assert "blocks.muc_dich: not allowed in a spec (sandbox)" in caught.value.message


def test_an_error_inside_a_template_names_the_template_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import bodies

    folder = tmp_path / "bodies"
    folder.mkdir()
    (folder / "_snippets.j2").write_text("{% macro x() %}ok{% endmacro %}\n", encoding="utf-8")
    (folder / "broken.md.j2").write_text("# A\n\n{% block a %}\n{{ issuer.no_such_field }}\n{% endblock %}\n", encoding="utf-8")
    monkeypatch.setattr(bodies, "BODIES_DIR", folder)
    bodies.environment.cache_clear()
    bodies.template_blocks.cache_clear()
    try:
        text = MINIMAL_SPEC.format(issuer="lai-chau/dang-uy-xa-binh-lu", date="2026-03-02").replace(
            "body: |\n  # MỤC ĐÍCH\n  Nội dung.\n", "body_template: broken\n")
        message = problems_of(spec_file(tmp_path, text))
    finally:
        bodies.environment.cache_clear()
        bodies.template_blocks.cache_clear()
    assert message == "spec.yaml:7:1: body_template: template broken.md.j2, line 4: 'dict object' has no attribute 'no_such_field'."


def test_blocks_prepend_append_and_drop(tmp_path: Path) -> None:
    blocks = ("  muc_dich_yeu_cau: \"1. Mục đích chung.\"\n  noi_dung: \"1. Nội dung.\"\n  phan_hinh_thuc: {drop: true}\n"
              "  chi_bo_co_so: {prepend: \"1. Việc đầu tiên.\"}\n  co_quan_tuyen_truyen: {drop: true}\n"
              "  mttq: {append: \"1. Việc cuối cùng.\"}\n")
    path = spec_file(tmp_path, TEMPLATED.format(issuer="lai-chau/dang-uy-xa-binh-lu", date="2026-03-02", blocks=blocks))
    result = build_document(path, tmp_path / "out.docx")
    paragraphs = body_paragraphs(result.output)
    body = paragraphs[paragraphs.index("Mở đầu.") + 1: paragraphs.index("Nơi nhận:")]
    assert [p[:25] for p in body] == [
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích chung.", "II. NỘI DUNG TUYÊN TRUYỀN", "1. Nội dung.", "III. TỔ CHỨC THỰC HIỆN",
        "1. Việc đầu tiên.", "2. Các chi bộ trực thuộc:", "3. Ủy ban Mặt trận Tổ quố",
        "4. Việc cuối cùng."]
    assert "dư luận xã hội xã: Căn cứ nội dung hướng dẫn," in body[7]   # the snippet reads the registry and the type


# ---------------------------------------------------------------------------------------------- the samples


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_specs_use_the_registry_and_a_body_template_and_are_shorter(name: str) -> None:
    text = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")
    assert "\nissuer: " in text and "issuer:\n" not in text           # an id, not a mapping written out
    assert "\nbody_template: " in text and "\nbody: " not in text
    assert "\nrecipients:" not in text and "\nplace:" not in text         # from the registry
    assert len(text.splitlines()) < LINES_BEFORE[name]


def test_registry_listing_runs() -> None:
    result = subprocess.run(["python3", "-m", "generator.registry"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "lai-chau/dang-uy-phuong-tan-phong" in result.stdout
