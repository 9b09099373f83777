"""The country-wide registry generated from vietnamadminunits (data/registry/, tools/registry_build.py):
every generated organ is valid registry data, any commune's Đảng ủy prints its header, number, place and
signature, legacy district organs live until 30/6/2025 and name their successors, the 2026 overlays,
hand-written entries winning field by field, and ``gen-directive organs``.

Messages are compared in English (``set_language("en")``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from conftest import MINIMAL_SPEC, run_cli
from docxtext import body_paragraphs
from generator import country
from generator import registry as organ_registry
from generator.build import build_document, compose_spec
from generator.commands.organs import find
from generator.errors import SpecError
from generator.registry import REGISTRY_FILE, shipped
from generator.schema import Problems

pytestmark = pytest.mark.usefixtures("english")

# The 34 provincial units since 01/7/2025 (Nghị quyết 202/2025/QH15), written independently of the dataset:
# the six centrally-run cities print "THÀNH PHỐ", the others "TỈNH".
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
PROVINCES = {"Tuyên Quang", "Cao Bằng", "Lai Châu", "Lào Cai", "Thái Nguyên", "Điện Biên", "Lạng Sơn", "Sơn La",
             "Phú Thọ", "Bắc Ninh", "Quảng Ninh", "Hưng Yên", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
             "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh",
             "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang"} | CITIES



def raw_records() -> dict[str, dict]:
    """Every generated organ as its file gives it (template fields, then its own; ids in full, dates as text)."""
    out = {}
    for key in country.keys():
        data = json.loads((country.COUNTRY_DIR / f"{key}.json").read_text(encoding="utf-8"))
        prefix = key.split(".", 1)[0]
        for organ_id, own in data["organs"].items():
            values = {**data["templates"].get(own.get("t", ""), {}), **own}
            values.pop("t", None)
            for field in ("superior", "successor"):
                if field in values:
                    values[field] = country._global(values[field], prefix)
            out[organ_id] = values
    return out


def present_provinces() -> dict[str, str]:
    """slug → name of the provinces with communes since 01/7/2025."""
    return {key.split(".", 1)[0]: country.province_name(key.split(".", 1)[0]) for key in country.keys() if key.endswith(".dang")}


# ---------------------------------------------------------------------------------------------- the data


def test_every_generated_organ_passes_the_registry_schema_and_resolves() -> None:
    records = raw_records()
    assert len(records) > 9000
    problems = Problems()
    REGISTRY_FILE.validate({"organs": records}, (), problems)
    assert not list(problems), list(problems)[:5]
    registry = shipped()
    for organ_id, values in records.items():
        organ = registry.get(organ_id)
        assert organ is not None and organ.symbol and organ.full_name, organ_id
        # what a build takes from the registry (generator.resolve): none may be missing
        assert organ.place and organ.recipients and organ.signature and organ.signature["title"], organ_id
        for successor in organ.successors:
            assert registry.get(successor) is not None, (organ_id, successor)
        if organ.superior_id:
            assert registry.get(organ.superior_id) is not None, organ_id
    assert not registry.resolver.problems


def test_the_dataset_and_its_licence_are_recorded() -> None:
    index = country.index()
    assert index["dataset"]["name"] == "vietnamadminunits" and index["dataset"]["version"] == "1.0.4"
    assert index["dataset"]["licence"] == "MIT"
    licence = (country.COUNTRY_DIR / "LICENSE-vietnamadminunits.txt").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Tran Ngoc Minh Hieu" in licence


def test_the_34_provinces_and_3321_communes() -> None:
    assert set(present_provinces().values()) == PROVINCES
    communes = [i for i in country.ids() if i.split("/")[1].startswith("dang-uy-")]
    people = [i for i in country.ids() if i.split("/")[1].startswith(("ubnd-xa-", "ubnd-phuong-", "ubnd-dac-khu-"))]
    assert len(communes) == len(people) == 3321


# ---------------------------------------------------------------------------------------------- communes


@pytest.mark.parametrize("slug", sorted(present_provinces()))
def test_a_communes_dang_uy_prints_its_header_number_place_and_signature(slug: str, tmp_path: Path) -> None:
    """A commune drawn at random (seeded) in each of the 34 provinces, in a spec dated 2026."""
    province = present_provinces()[slug]
    communes = sorted(i for i in country.ids(slug) if i.split("/")[1].startswith("dang-uy-"))
    organ_id = random.Random(f"12-{slug}").choice(communes)
    record = country.record(organ_id)
    spec = tmp_path / "spec.yaml"
    spec.write_text(MINIMAL_SPEC.format(issuer=organ_id, date="2026-03-02"), encoding="utf-8")
    paragraphs = body_paragraphs(build_document(spec, tmp_path / "out.docx").output)
    unit = "THÀNH PHỐ" if province in CITIES else "TỈNH"
    assert paragraphs[:4] == [f"ĐẢNG BỘ {unit} {province.upper()}", record["name"].upper(), "*", "Số 05-HD/ĐU"]
    assert record["name"].startswith(("Đảng ủy xã ", "Đảng ủy phường ", "Đảng ủy đặc khu "))
    assert f"{record['place']}, ngày 02 tháng 3 năm 2026" in paragraphs
    assert record["name"].endswith(" " + record["place"])
    if organ_id in {"lai-chau/dang-uy-xa-binh-lu", "lai-chau/dang-uy-xa-ban-bo", "lai-chau/dang-uy-xa-ta-leng",
                    "lai-chau/dang-uy-xa-khun-ha", "lai-chau/dang-uy-phuong-tan-phong", "lai-chau/dang-uy-phuong-doan-ket"}:
        return  # hand-written: signs T/M Ban Thường vụ (test_registry)
    assert paragraphs[-3:] == ["T/M ĐẢNG ỦY", "BÍ THƯ", "Nguyễn Văn A"]


@pytest.mark.parametrize("slug", sorted(present_provinces()))
def test_a_communes_ubnd_resolves_to_the_state_fields(slug: str) -> None:
    registry = shipped()
    communes = sorted(i for i in country.ids(slug) if i.split("/")[1].startswith(("ubnd-xa-", "ubnd-phuong-", "ubnd-dac-khu-")))
    organ = registry.get(random.Random(f"12-{slug}").choice(communes))
    assert organ.regime == "state" and organ.symbol == "UBND" and organ.level == "commune" and organ.header_superior == ""
    assert organ.header_name == f"Ủy ban nhân dân\n{organ.area}" and organ.name == f"Ủy ban nhân dân {organ.area}"
    assert organ.area == f"{organ.locality} {organ.place}" and organ.locality in ("xã", "phường", "đặc khu")
    assert organ.signature == {"authority": "TM.", "on_behalf": "Ủy ban nhân dân", "title": "Chủ tịch"}
    assert organ.archive == "VT"
    texts = [r.text for r in organ.recipients_on(dt.date(2026, 3, 2))]
    province = registry.get(organ.superior_id)
    assert texts[0] == f"Ủy ban nhân dân {province.area}" and province.symbol == "UBND" and province.level == "province"
    assert province.header_name == f"Ủy ban nhân dân\n{province.area}"


def test_the_provinces_committees_and_boards() -> None:
    registry = shipped()
    hcm = registry.get("ho-chi-minh/thanh-uy")
    assert (hcm.name, hcm.symbol, hcm.header_superior) == ("Thành ủy Thành phố Hồ Chí Minh", "TU", "")
    assert registry.get("ho-chi-minh/dang-uy-phuong-binh-tien").header_superior == "Đảng bộ Thành phố Hồ Chí Minh"
    thanh_hoa = registry.get("thanh-hoa/tinh-uy")
    assert (thanh_hoa.name, thanh_hoa.place, thanh_hoa.area) == ("Tỉnh ủy Thanh Hóa", "Thanh Hóa", "tỉnh Thanh Hóa")
    symbols = {board: registry.get(f"thanh-hoa/tinh-uy/{board}").symbol
               for board in ("ban-tuyen-giao-va-dan-van", "van-phong", "ban-to-chuc", "uy-ban-kiem-tra", "ban-tuyen-giao")}
    assert symbols == {"ban-tuyen-giao-va-dan-van": "BTGDVTU", "van-phong": "VPTU", "ban-to-chuc": "BTCTU",
                       "uy-ban-kiem-tra": "UBKTTU", "ban-tuyen-giao": "BTGTU"}
    btgdv = registry.get("ha-noi/thanh-uy/ban-tuyen-giao-va-dan-van")
    assert (btgdv.header_superior, btgdv.name, btgdv.full_name) == ("Thành ủy Hà Nội", "Ban Tuyên giáo và Dân vận",
                                                                     "Ban Tuyên giáo và Dân vận Thành ủy Hà Nội")
    # names that differ only in their marks keep apart through the dataset's unit code
    assert registry.get("thai-nguyen/dang-uy-xa-van-lang-02143").name == "Đảng ủy xã Văn Lang"
    assert registry.get("thai-nguyen/dang-uy-xa-van-lang-05665").name == "Đảng ủy xã Văn Lăng"


# ---------------------------------------------------------------------------------------------- before 07/2025


def test_a_legacy_district_organ_builds_in_2023_and_names_its_successors_in_2026(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(MINIMAL_SPEC.format(issuer="lai-chau/huyen-uy-phong-tho/ban-tuyen-giao", date="2023-06-05"), encoding="utf-8")
    paragraphs = body_paragraphs(build_document(spec, tmp_path / "out.docx").output)
    assert paragraphs[:4] == ["HUYỆN ỦY PHONG THỔ", "BAN TUYÊN GIÁO", "*", "Số 05-HD/BTGHU"]
    assert "Phong Thổ, ngày 05 tháng 6 năm 2023" in paragraphs
    spec.write_text(MINIMAL_SPEC.format(issuer="lai-chau/huyen-uy-phong-tho", date="2023-06-05"), encoding="utf-8")
    paragraphs = body_paragraphs(build_document(spec, tmp_path / "out.docx").output)
    assert paragraphs[:4] == ["ĐẢNG BỘ TỈNH LAI CHÂU", "HUYỆN ỦY PHONG THỔ", "*", "Số 05-HD/HU"]
    assert paragraphs[-3:] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn A"]

    spec.write_text(MINIMAL_SPEC.format(issuer="lai-chau/huyen-uy-phong-tho", date="2026-03-02"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        compose_spec(spec, display="spec.yaml")
    assert caught.value.message == (
        "spec.yaml:3:1: issuer: Huyện ủy Phong Thổ ceased on 30/6/2025; its successors are "
        "Đảng ủy phường Đoàn Kết (lai-chau/dang-uy-phuong-doan-ket), Đảng ủy xã Dào San (lai-chau/dang-uy-xa-dao-san), "
        "Đảng ủy xã Khổng Lào (lai-chau/dang-uy-xa-khong-lao), Đảng ủy xã Phong Thổ (lai-chau/dang-uy-xa-phong-tho), "
        "Đảng ủy xã Sì Lở Lầu (lai-chau/dang-uy-xa-si-lo-lau), Đảng ủy xã Sin Suối Hồ (lai-chau/dang-uy-xa-sin-suoi-ho).")


def test_legacy_people_committees_and_provinces_name_their_successors() -> None:
    registry = shipped()
    huyen = registry.get("lai-chau/ubnd-huyen-phong-tho")
    assert (huyen.regime, huyen.symbol, huyen.header_name) == ("state", "UBND", "Ủy ban nhân dân\nhuyện Phong Thổ")
    assert registry.validity_problem(huyen, dt.date(2024, 1, 1)) is None
    assert registry.validity_problem(huyen, dt.date(2026, 1, 1)).startswith(
        "Ủy ban nhân dân huyện Phong Thổ ceased on 30/6/2025; its successors are Ủy ban nhân dân phường Đoàn Kết (lai-chau/ubnd-phuong-doan-ket), ")
    ha_giang = registry.get("ha-giang/tinh-uy")
    assert registry.validity_problem(ha_giang, dt.date(2025, 7, 1)) == (
        "Tỉnh ủy Hà Giang ceased on 30/6/2025; its successor is Tỉnh ủy Tuyên Quang (tuyen-quang/tinh-uy).")
    city = registry.get("ha-giang/thanh-uy-ha-giang")
    assert (city.symbol, city.place, city.header_superior) == ("ThU", "TP. Hà Giang", "Đảng bộ tỉnh Hà Giang")
    assert registry.get("ho-chi-minh/quan-uy-1").name == "Quận ủy Quận 1"
    assert registry.get("ho-chi-minh/quan-uy-1/ban-tuyen-giao").symbol == "BTGQU"
    # a commune used before it existed names the district organs it came from
    why = registry.validity_problem(registry.get("lai-chau/dang-uy-xa-dao-san"), dt.date(2024, 1, 1))
    assert why.startswith("Đảng ủy xã Dào San was established on 01/7/2025, after this date (01/01/2024); before it: Huyện ủy Phong Thổ (lai-chau/huyen-uy-phong-tho)")


# ---------------------------------------------------------------------------------------------- overlays


def test_dong_nai_becomes_a_city_on_30_april_2026(tmp_path: Path) -> None:
    registry = shipped()
    assert registry.validity_problem(registry.get("dong-nai/tinh-uy"), dt.date(2026, 5, 4)) == (
        "Tỉnh ủy Đồng Nai ceased on 29/4/2026; its successor is Thành ủy Đồng Nai (dong-nai/thanh-uy).")
    city = registry.get("dong-nai/thanh-uy")
    assert (city.name, city.symbol, city.area, city.valid_from) == ("Thành ủy Đồng Nai", "TU", "thành phố Đồng Nai", dt.date(2026, 4, 30))
    assert "[reported]" in country.record("dong-nai/thanh-uy")["note"]
    commune = sorted(i for i in country.ids("dong-nai") if "/dang-uy-xa-" in i)[0]
    spec = tmp_path / "spec.yaml"
    for date, header, committee in (("2026-03-02", "ĐẢNG BỘ TỈNH ĐỒNG NAI", "Tỉnh ủy"), ("2026-06-01", "ĐẢNG BỘ THÀNH PHỐ ĐỒNG NAI", "Thành ủy")):
        spec.write_text(MINIMAL_SPEC.format(issuer=commune, date=date), encoding="utf-8")
        paragraphs = body_paragraphs(build_document(spec, tmp_path / "out.docx").output)
        assert paragraphs[0] == header
        assert f"- Ban Thường vụ {committee} (b/c)," in paragraphs
    assert registry.get("quang-ninh/thanh-uy").valid_from == dt.date(2026, 9, 1)
    assert registry.get("bac-ninh/thanh-uy").valid_from == dt.date(2026, 9, 20)


# ---------------------------------------------------------------------------------------------- hand-written wins


def test_hand_written_entries_win_field_by_field(tmp_path: Path) -> None:
    registry = shipped()
    binh_lu = registry.get("lai-chau/dang-uy-xa-binh-lu")       # data/organs/lai-chau.yaml
    assert binh_lu.signature["on_behalf"] == "Ban Thường vụ" and binh_lu.file == "data/organs/lai-chau.yaml"
    phu_giao = registry.get("binh-duong/huyen-uy-phu-giao")     # hand-written without successors: the dataset's
    assert "ho-chi-minh/dang-uy-xa-phu-giao" in phu_giao.successors
    (tmp_path / "mine.yaml").write_text(
        "organs:\n  lai-chau/dang-uy-xa-sin-suoi-ho:\n    recipients: [Ban Thường vụ Tỉnh ủy (b/c), Các chi bộ trực thuộc]\n",
        encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text("registry: [mine.yaml]\n" + MINIMAL_SPEC.format(issuer="lai-chau/dang-uy-xa-sin-suoi-ho", date="2026-03-02"), encoding="utf-8")
    paragraphs = body_paragraphs(build_document(spec, tmp_path / "out.docx").output)
    assert paragraphs[:4] == ["ĐẢNG BỘ TỈNH LAI CHÂU", "ĐẢNG ỦY XÃ SIN SUỐI HỒ", "*", "Số 05-HD/ĐU"]
    assert [p for p in paragraphs if p.startswith("- ")] == [
        "- Ban Thường vụ Tỉnh ủy (b/c),", "- Các chi bộ trực thuộc,", "- Lưu Văn phòng Đảng ủy."]


def test_an_organ_known_nowhere_still_needs_its_name(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("organs:\n  lai-chau/dang-uy-xa-khong-co:\n    symbol: ĐU\n", encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text("registry: [mine.yaml]\n" + MINIMAL_SPEC.format(issuer="lai-chau/dang-uy-xa-khong-co", date="2026-03-02"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        compose_spec(spec, display=str(spec))
    assert caught.value.message == (f'{tmp_path}/mine.yaml:2:3: organs["lai-chau/dang-uy-xa-khong-co"]: the key "name" is required '
                                    "(the organ's name as printed in the header, e.g. Ban Tuyên giáo).")


# ---------------------------------------------------------------------------------------------- organs command


def test_search_is_accent_insensitive_and_by_whole_words() -> None:
    registry = shipped()
    expected = ["lai-chau/dang-uy-xa-binh-lu", "lai-chau/ubnd-xa-binh-lu", "lai-chau/ubnd-xa-binh-lu/phong-van-hoa-xa-hoi"]
    assert [o.id for o in find(registry, "binh lu", None)] == expected
    assert [o.id for o in find(registry, "Bình Lư", None)] == expected
    assert [o.id for o in find(registry, "BINH LU", dt.date(2024, 1, 1))] == []
    assert [o.id for o in find(registry, "tam duong", dt.date(2023, 1, 1))] == [
        "lai-chau/huyen-uy-tam-duong", "lai-chau/huyen-uy-tam-duong/ban-tuyen-giao", "lai-chau/ubnd-huyen-tam-duong",
        "vinh-phuc/huyen-uy-tam-duong", "vinh-phuc/huyen-uy-tam-duong/ban-tuyen-giao", "vinh-phuc/ubnd-huyen-tam-duong"]


def test_organs_json_lists_the_whole_country() -> None:
    result = run_cli("organs", "--json", "--on", "2026-01-01")
    assert result.returncode == 0, result.stderr
    organs = json.loads(result.stdout)
    assert {"id", "name", "province", "level", "regime", "valid_from", "valid_to"} <= set(organs[0])
    provincial = [o for o in organs if o["level"] == "province" and o["kind"] == "committee" and o["regime"] == "party"]
    communes = [o for o in organs if o["level"] == "commune" and o["regime"] == "party"]
    assert len(provincial) >= 34 and len(communes) >= 3300
    assert {o["province"] for o in provincial} == PROVINCES
    binh_lu = next(o for o in organs if o["id"] == "lai-chau/dang-uy-xa-binh-lu")
    assert binh_lu == {**binh_lu, "name": "Đảng ủy xã Bình Lư", "province": "Lai Châu", "level": "commune", "regime": "party",
                       "valid_from": "2025-07-01", "valid_to": None}
    result = run_cli("organs", "binh lu", "--on", "2026-01-01")
    assert result.returncode == 0 and [line.split()[0] for line in result.stdout.splitlines()] == [
        "lai-chau/dang-uy-xa-binh-lu", "lai-chau/ubnd-xa-binh-lu", "lai-chau/ubnd-xa-binh-lu/phong-van-hoa-xa-hoi"]
    bad = run_cli("organs", "--on", "2026-13-01", "--lang", "en")
    assert bad.returncode == 2 and bad.stderr.strip() == "--on: expected a date written YYYY-MM-DD, got 2026-13-01."


def test_a_build_reads_only_the_files_it_needs() -> None:
    country.shard.cache_clear()
    registry = organ_registry.shipped.__wrapped__()
    registry.get("thanh-hoa/dang-uy-xa-hoang-hoa") or registry.get(sorted(i for i in country.ids("thanh-hoa") if "/dang-uy-" in i)[0])
    read = country.shard.cache_info().currsize
    country.shard.cache_clear()
    registry = organ_registry.shipped.__wrapped__()
    baseline = country.shard.cache_info().currsize
    assert read - baseline <= 2 and baseline <= 8   # a few small files, never the country


def test_organs_reads_a_clerks_own_registry_file(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "organs:\n  lai-chau/dang-uy-xa-binh-lu/chi-bo-ban-1:\n    name: Chi bộ bản 1\n    superior: lai-chau/dang-uy-xa-binh-lu\n"
        "    level: cell\n    symbol: CB\n    place: Bình Lư\n", encoding="utf-8")
    result = run_cli("organs", "chi bo ban 1", "--registry", "mine.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["lai-chau/dang-uy-xa-binh-lu/chi-bo-ban-1"]
    result = run_cli("--lang", "en", "organs", "chi bo ban 1", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "no organ matches.\n"
