"""The explorer in a real browser: Debian's Chromium, driven by Playwright, fully offline.

Starts `streamlit run app.py` on 127.0.0.1 with a seeded embedded graph, blocks every request
that would leave the machine (and fails if one was attempted), searches a recommendation,
opens its linkage view, waits until the pyvis canvas inside the component iframe has drawn,
and saves screenshots to test-artifacts/ and docs/screenshots/ (for the README).

Skips when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (as in CI), where that fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded_backend import EmbeddedBackend
from tests.conftest import REPO
from tests.test_secrets import CANARY

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "docs" / "screenshots"
LOOPBACK = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
REC = "gcm-ts5-summary:a.1"
STEP_MS = 60_000  # the longest any single wait may take


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "") not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if browser_required():
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def app_url(chromium, seed_records, tmp_path_factory) -> Iterator[str]:
    """The app served by `streamlit run` on a free loopback port; always stopped afterwards."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "graph.lbug"
    backend = EmbeddedBackend(db)
    backend.write(seed_records.nodes.values(), seed_records.edges.values(), replace=True)
    backend.close()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAPH_", "NEO4J_"))}
    # A canary password in the environment, as a deployment would have it, must show up nowhere:
    # not on the page (what the screenshots show), not in downloads, not in the server's log.
    env.update(GRAPH_DB_PATH=str(db), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
               NEO4J_USER="reader", NEO4J_PASSWORD=CANARY)
    log = (folder / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start: {(folder / 'streamlit.log').read_text()}")
            time.sleep(0.3)
        yield url
        assert CANARY not in (folder / "streamlit.log").read_text(errors="replace")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        log.close()


@pytest.fixture
def page(chromium, app_url) -> Iterator:
    """A Chromium page where anything off the machine is blocked and recorded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium))
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(STEP_MS)
        blocked: list[str] = []

        def only_loopback(route) -> None:
            if route.request.url.startswith(LOOPBACK):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", only_loopback)
        tab = context.new_page()
        tab.blocked = blocked  # type: ignore[attr-defined]
        try:
            yield tab
        finally:
            context.close()
            browser.close()
    assert blocked == [], f"the app tried to reach the network: {blocked}"


def settle(tab) -> None:
    """Wait until Streamlit has finished running the script (callers then wait for content)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tab.wait_for_selector("[data-testid='stAppViewContainer']")
    try:  # a rerun shows the running indicator shortly; it may also be over already
        tab.wait_for_selector("[data-testid='stStatusWidget']", timeout=2000)
    except PlaywrightTimeout:
        pass
    tab.wait_for_selector("[data-testid='stStatusWidget']", state="detached")


def save(tab, artifacts: Path, name: str) -> None:
    for frame in tab.frames:  # the text of the page and of its component iframes
        assert CANARY not in frame.content(), f"the password is on the page saved as {name}"
    target = artifacts / name
    tab.screenshot(path=str(target))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target, SCREENSHOTS / name)


def graph_drawn(tab, title_prefix: str):
    """The component iframe whose title starts with `title_prefix`, once its canvas has drawn."""
    frame_el = tab.wait_for_selector(f"iframe[title^='{title_prefix}']")
    frame = frame_el.content_frame()
    frame.wait_for_selector("canvas")
    frame.wait_for_function("document.body.dataset.stabilized === '1'")
    painted = frame.evaluate("""() => {
        const c = document.querySelector('canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 16) { if (d[i] > 0) n++; }
        return n;
    }""")
    assert painted > 100, "the graph canvas is blank"
    return frame_el


def test_overview_and_linkage_view_render_offline_in_chromium(page, app_url, artifacts):
    page.goto(app_url)
    settle(page)
    page.locator("[data-testid='stMetric']").filter(has_text="Recommendations") \
        .filter(has_text="87").first.wait_for()
    page.locator("[data-testid='stVegaLiteChart'] canvas, "
                 "[data-testid='stVegaLiteChart'] svg").first.wait_for()
    page.wait_for_timeout(1000)  # let the heatmap finish its first paint
    save(page, artifacts, "overview.png")

    page.get_by_role("link", name="Recommendations").click()
    settle(page)
    search = page.get_by_label("Search the recommendations")
    search.wait_for()
    search.fill("ratify")
    search.press("Enter")
    settle(page)
    page.get_by_text("recommendation(s). Click a row").wait_for()
    picker = page.get_by_role("combobox", name="Open a recommendation")
    picker.click()
    page.keyboard.type(REC)
    page.get_by_role("option", name=f"{REC}:").first.click()
    settle(page)
    heading = page.get_by_text("Linkage view: recommendation a.1")
    heading.wait_for()
    graph_drawn(page, "Graph view: linkage")
    assert f"rec={REC}" in page.url.replace("%3A", ":")
    heading.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)
    save(page, artifacts, "linkage-view.png")
    for button in ("Graph view (HTML)", "Data (CSV)", "Data (GraphML)"):
        with page.expect_download() as download:
            page.get_by_role("button", name=button).first.click()
        body = Path(download.value.path()).read_text(encoding="utf-8")
        assert REC in body, f"{button}: the download does not hold the view"
        assert CANARY not in body, f"{button}: the download holds the password"
    assert page.blocked == [], f"the app tried to reach the network: {page.blocked}"
