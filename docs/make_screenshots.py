"""Screenshots of the editor for the README, at 1366×768 (a common office laptop screen):

    python3 docs/make_screenshots.py        # writes docs/serve-*.png

Starts ``gen-directive serve`` and drives Debian's Chromium (/usr/bin/chromium, /usr/bin/chromedriver).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

DOCS = Path(__file__).resolve().parent
EXAMPLE = DOCS.parent / "examples" / "002-hoi-nghi-giua-nhiem-ky.yaml"


def wait_for(condition, timeout: float = 120):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.2)
    return value


def main() -> int:
    exe = Path(sys.executable).with_name("gen-directive")
    server = subprocess.Popen([str(exe), "serve", "--no-browser", "--port", "0"], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    url = re.search(r"http://\S+/", server.stdout.readline()).group(0)  # type: ignore[union-attr]
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--lang=vi", "--user-data-dir=" + tempfile.mkdtemp()):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
        driver.get(url)
        wait_for(lambda: driver.execute_script("return document.body.classList.contains('ready')"))
        from generator.loader import load_yaml
        from generator.serve.specdata import json_values

        # JSON.parse keeps the spec's key order (a WebDriver argument object would arrive sorted).
        driver.execute_script("return gdEditor.fill(JSON.parse(arguments[0]))", json.dumps(json_values(load_yaml(EXAMPLE).data), ensure_ascii=False))
        wait_for(lambda: driver.execute_script("return gdEditor.state().preview === 'done'"))
        time.sleep(0.5)
        driver.save_screenshot(str(DOCS / "serve-editor.png"))

        # The organ, searched without accents.
        issuer = driver.find_element(By.CSS_SELECTOR, '[data-path="issuer"]')
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", driver.find_element(By.CSS_SELECTOR, ".group-issuer"))
        search = issuer.find_element(By.CSS_SELECTOR, "input.organ")
        search.send_keys(Keys.CONTROL, "a")
        search.send_keys("ban tuyen giao lai chau")
        wait_for(lambda: issuer.find_element(By.CSS_SELECTOR, ".organ-results").is_displayed())
        time.sleep(0.8)
        driver.save_screenshot(str(DOCS / "serve-organ.png"))
        search.clear()
        search.send_keys("lai-chau/thanh-uy-lai-chau/ban-tuyen-giao")
        driver.execute_script("document.activeElement.blur()")

        # A mistake: the message is the CLI's, at its field.
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", driver.find_element(By.CSS_SELECTOR, ".group-document"))
        date = driver.find_element(By.CSS_SELECTOR, '[data-path="date"] input')
        date.clear()
        date.send_keys("2023-06-31")
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, '[data-path="date"] .msg').text)
        time.sleep(0.5)
        driver.save_screenshot(str(DOCS / "serve-error.png"))
        date.clear()
        date.send_keys("2023-06-05")
        time.sleep(1.5)

        # The content: template blocks, with the markup help beside them.
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", driver.find_element(By.CSS_SELECTOR, ".group-body"))
        time.sleep(0.5)
        driver.save_screenshot(str(DOCS / "serve-body.png"))
    finally:
        driver.quit()
        server.terminate()
        server.wait()
    for name in ("editor", "organ", "error", "body"):
        print(DOCS / f"serve-{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
