"""`queue-hall web` as a real subprocess against a real hall server, and a real browser."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bench.web import WebProcess

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def start_web(server, folder: Path, *extra: str) -> WebProcess:
    """The web process for `server`; the server's tickets then print its address."""
    web = WebProcess(server.port, folder, *extra)
    server.service.config = replace(server.service.config, web_public_url=web.base)
    web.wait_online()
    return web


@pytest.fixture
def web(clocked_server, tmp_path) -> Iterator[WebProcess]:
    process = start_web(clocked_server, tmp_path)
    yield process
    process.stop()


def chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def _chromium(javascript: bool = True):  # type: ignore[no-untyped-def]
    paths = chromium_paths()
    if paths is None:
        pytest.skip(
            "browser tests need Debian's chromium and chromium-driver (apt-get install chromium "
            "chromium-driver; .ci/run installs them)"
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("browser tests need selenium (pip install -e '.[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=500,780")
    # A 360 px phone's viewport: a headless window is never narrower than 500 px.
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": 360, "height": 780, "pixelRatio": 1}}
    )
    prefs: dict[str, object] = {"intl.accept_languages": "zh-CN,zh"}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(options=options, service=Service(paths[1]))
    driver.set_page_load_timeout(20)
    return driver


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    driver = _chromium()
    yield driver
    driver.quit()


@pytest.fixture
def browser_without_scripts() -> Iterator[object]:
    driver = _chromium(javascript=False)
    yield driver
    driver.quit()
