"""The editor page in a real browser: Debian's Chromium driven by Selenium through /usr/bin/chromedriver (no
browser download, no Selenium Manager). Without Chromium these tests skip on a workstation and FAIL in CI
(``CI=true``), where .ci/run installs it.

Covered: the page loads in Vietnamese; an organ is picked by an unaccented search; a trích yếu typed into
the form changes the preview; an impossible date gets the CLI's message inline at the date field; the .docx
downloads and opens with python-docx; a foreign Host is refused; every example of examples/ filled through
the page's widgets builds byte-identically to the CLI's build.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from conftest import EXAMPLES, example_specs, run_cli, unavailable
from servehelp import Server, example_values, start_server

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=vi"]
IMPOSSIBLE_DATE_VI = "2023-02-30 không phải là ngày có thật; hãy kiểm tra ngày và tháng."


def _require_chromium() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install '.[test]')")
    if missing:
        unavailable("browser tests need " + ", ".join(missing) + " (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("serve-browser-tmp"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    _require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument("--user-data-dir=" + str(tmp_path_factory.mktemp("chromium-profile")))
    # A name that resolves to this machine, for the DNS-rebinding test (no DNS query leaves the machine).
    options.add_argument("--host-resolver-rules=MAP rebind.example 127.0.0.1")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait_for(condition: Callable[[], Any], timeout: float = 90, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.1)


def open_page(browser: Any, server: Server) -> None:
    browser.get(server.url)
    wait_for(lambda: browser.execute_script("return document.body.classList.contains('ready')"), what="the page to start")


def field(browser: Any, path: str) -> Any:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, f'[data-path="{path}"]')


def state(browser: Any) -> dict[str, Any]:
    return browser.execute_script("return gdEditor.state()")


def test_page_loads_in_vietnamese(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    assert browser.find_element(By.ID, "title").text == "Soạn thảo văn bản"
    groups = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "#pane-form .group > h2")]
    assert groups == ["VĂN BẢN", "CƠ QUAN BAN HÀNH", "VĂN BẢN CẤP TRÊN", "NỘI DUNG", "KHẨU HIỆU", "NƠI NHẬN", "CHỮ KÝ", "THIẾT LẬP KHÁC"]
    # Every key of the schema has its field (the form is built from the schema).
    from generator.schema_export import spec_json_schema

    for key in spec_json_schema()["properties"]:
        assert field(browser, key)
    assert browser.find_element(By.ID, "dl-docx").text == "Tải .docx"
    assert browser.execute_script("return document.documentElement.lang") == "vi"


def test_pick_organ_type_subject_and_see_the_preview_change(browser: Any, server: Server, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(browser, server)
    values = example_values(EXAMPLES / "003-xay-dung-dang.yaml")
    organ = values.pop("issuer")
    values.pop("subject")
    browser.execute_script("return gdEditor.fill(arguments[0])", values)
    # The organ, by an unaccented search over the registry.
    search = field(browser, "issuer").find_element(By.CSS_SELECTOR, "input.organ")
    search.send_keys("ban tuyen giao thanh uy lai chau")
    results = wait_for(lambda: [li for li in field(browser, "issuer").find_elements(By.CSS_SELECTOR, ".organ-results li[data-id]") if li.is_displayed()],
                       what="organ search results")
    assert results[0].get_attribute("data-id") == organ == "lai-chau/thanh-uy-lai-chau/ban-tuyen-giao"
    assert "Ban Tuyên giáo Thành ủy Lai Châu" in results[0].text
    results[0].click()
    assert search.get_attribute("value") == organ
    card = wait_for(lambda: (c := browser.find_element(By.ID, "organ-card")).is_displayed() and c, what="the organ card")
    wait_for(lambda: "THÀNH ỦY LAI CHÂU" in card.text)
    assert "BAN TUYÊN GIÁO" in card.text and "BTGThU" in card.text
    # The trích yếu, typed.
    subject = field(browser, "subject").find_element(By.TAG_NAME, "textarea")
    subject.send_keys("tuyên truyền về xây dựng Đảng")
    first = wait_for(lambda: (s := state(browser))["preview"] == "done" and s["pages"] and s, what="the first preview")
    first_png = server.request("GET", first["pages"][0])[2]
    subject.send_keys(Keys.END, " và hệ thống chính trị năm 2024")
    # While the new pages render, the old ones stay in view.
    wait_for(lambda: "busy" in browser.find_element(By.ID, "preview-status").get_attribute("class"), what="the update to start")
    assert state(browser)["pages"] == first["pages"]
    second = wait_for(lambda: (s := state(browser))["shownRev"] > first["shownRev"] and s, what="the preview to change")
    assert second["pages"][0] != first["pages"][0]
    assert server.request("GET", second["pages"][0])[2] != first_png
    answer = browser.execute_script("return gdEditor.answer()")
    assert "subject: tuyên truyền về xây dựng Đảng và hệ thống chính trị năm 2024\n" in answer["yaml"]
    assert browser.find_element(By.ID, "preview-status").text.startswith(f"{len(second['pages'])} trang, tạo trong")
    # check's findings on the same build, beside the pages, with their rule ids.
    from generator.check import check_file

    docx_path = tmp_path / "shown.docx"
    docx_path.write_bytes(server.request("GET", second["pages"][0].rsplit("/", 1)[0] + "/document.docx")[2])
    expected = [f.rule.id for f in check_file(docx_path).findings]
    shown = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#findings li code.rule")]
    assert sorted(shown) == sorted(expected)
    if not expected:
        assert browser.find_element(By.CSS_SELECTOR, "#findings li.ok").text == "Không có lỗi: văn bản đúng thể thức."


def test_organ_outside_its_dates_is_warned(browser: Any, server: Server) -> None:
    open_page(browser, server)
    browser.execute_script("return gdEditor.fill(arguments[0])", {"issuer": "lai-chau/thanh-uy-lai-chau/ban-tuyen-giao", "date": "2026-03-02"})
    warning = wait_for(lambda: browser.execute_script("const w = document.querySelector('#organ-card .card-warning'); return w && w.textContent"),
                       what="the organ warning")
    assert warning.startswith("⚠ Ban Tuyên giáo Thành ủy Lai Châu đã chấm dứt hoạt động")


def test_impossible_date_is_shown_at_its_field(browser: Any, server: Server, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    browser.execute_script("return gdEditor.fill(arguments[0])", example_values(EXAMPLES / "001-ket-luan-69.yaml"))
    date = field(browser, "date").find_element(By.TAG_NAME, "input")
    date.clear()
    date.send_keys("2023-02-30")
    message = wait_for(lambda: field(browser, "date").find_element(By.CSS_SELECTOR, ".msg").text, what="the inline message")
    assert message == "✖ " + IMPOSSIBLE_DATE_VI or message == IMPOSSIBLE_DATE_VI
    assert "invalid" in field(browser, "date").get_attribute("class")
    # The CLI says the same of the YAML the page shows.
    answer = browser.execute_script("return gdEditor.answer()")
    saved = tmp_path / "spec.yaml"
    saved.write_text(answer["yaml"], encoding="utf-8")
    result = run_cli(saved, env={"LANG": "vi_VN.UTF-8"})
    assert result.returncode == 1 and result.stderr.strip().endswith(": date: " + IMPOSSIBLE_DATE_VI)


def test_download_the_docx(browser: Any, server: Server, downloads: Path) -> None:
    import docx
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    browser.execute_script("return gdEditor.fill(arguments[0])", example_values(EXAMPLES / "001-ket-luan-69.yaml"))
    link = browser.find_element(By.ID, "dl-docx")
    wait_for(lambda: "disabled" not in link.get_attribute("class"), what="the download link")
    for old in downloads.iterdir():
        old.unlink()
    link.click()
    target = wait_for(lambda: [p for p in downloads.iterdir() if p.suffix == ".docx"], what="the download")[0]
    assert target.name == "huong-dan-46.docx"
    wait_for(lambda: target.stat().st_size > 0)
    document = docx.Document(io.BytesIO(target.read_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "HƯỚNG DẪN"
    assert paragraphs[1].startswith("Tuyên truyền và thực hiện Kết luận số 69-KL/TW, ngày 11/01/2024 của Bộ Chính trị")
    assert "I. MỤC ĐÍCH, YÊU CẦU" in paragraphs


def test_start_from_an_incoming_directive(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    from conftest import GOLDEN

    open_page(browser, server)
    browser.execute_script("return gdEditor.fill(arguments[0])", {"issuer": "lai-chau/dang-uy-xa-binh-lu", "date": "2025-08-10"})
    browser.find_element(By.ID, "tab-start").click()
    browser.find_element(By.ID, "parent-file").send_keys(str(GOLDEN / "002.txt"))
    before = state(browser)["rev"]
    browser.find_element(By.CSS_SELECTOR, "#pane-start .group:nth-of-type(2) button").click()
    wait_for(lambda: state(browser)["rev"] > before, what="init's draft")
    assert browser.find_element(By.ID, "pane-form").is_displayed()
    values = browser.execute_script("return gdEditor.values()")
    assert values["issuer"] == "lai-chau/dang-uy-xa-binh-lu" and values["draft"] is True
    assert values["implements"][0]["number"] == "98" and values["implements"][0]["date"] == "2023-06-05"
    assert field(browser, "implements.0.number").find_element(By.TAG_NAME, "textarea").get_attribute("value") == "98"
    assert browser.find_element(By.ID, "yaml").get_attribute("value").startswith("# ")


def test_foreign_host_is_refused(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"http://rebind.example:{server.port}/")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert body.startswith(f"từ chối: trình soạn thảo này chỉ trả lời tại http://127.0.0.1:{server.port}/")
    assert browser.execute_script("return typeof window.gdEditor") == "undefined"


@pytest.mark.parametrize("spec", example_specs() + sorted((EXAMPLES / "chain").glob("*.yaml")) + sorted((EXAMPLES / "kinds").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_from_the_form_builds_byte_identically(browser: Any, server: Server, spec: Path, tmp_path: Path) -> None:
    """The values go through the page's widgets (set into the inputs, read back from them), not around them."""
    if not browser.execute_script("return !!window.gdEditor && document.body.classList.contains('ready')"):
        open_page(browser, server)
    answer = browser.execute_script("return gdEditor.fill(arguments[0])", example_values(spec))
    assert answer["problems"] == [], answer["problems"]
    read_back = browser.execute_script("return gdEditor.values()")
    assert json.loads(json.dumps(read_back)) == json.loads(json.dumps(_as_form_sends(example_values(spec))))
    session, rev = answer["session"], answer["rev"]
    status, _h, form_docx = server.request("GET", f"/files/{session}/{rev}/document.docx")
    assert status == 200
    saved = tmp_path / "saved.yaml"
    saved.write_text(answer["yaml"], encoding="utf-8")
    shutil.copy(spec, tmp_path / spec.name)
    assert run_cli(saved, "-o", tmp_path / "saved.docx").returncode == 0
    assert run_cli(spec, "-o", tmp_path / "cli.docx").returncode == 0
    assert form_docx == (tmp_path / "saved.docx").read_bytes() == (tmp_path / "cli.docx").read_bytes()


def _as_form_sends(value: Any) -> Any:
    """Numbers as the form's text inputs hold them."""
    if isinstance(value, dict):
        return {k: _as_form_sends(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_form_sends(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value
