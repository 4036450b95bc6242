"""End to end in headless Chromium: the real server, a real click, a real download.

Uses Debian's ``/usr/bin/chromium`` through the ``playwright`` package (no browser is ever
downloaded). ``bash scripts/test.sh`` installs it; without it these tests are skipped.
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
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest

from align.store import DecisionStore

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# The screenshot goes to the test's tmp folder; PLAN_ALIGN_SCREENSHOT=docs/review.png refreshes the README's.
SCREENSHOT = os.environ.get("PLAN_ALIGN_SCREENSHOT")

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: install Debian's chromium (bash scripts/test.sh does) to run the "
                "browser tests", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def app_server(data_dir: Path, db: Path):
    """Start ``streamlit run app.py`` on a free port; yield its URL; always stop it."""
    port = _free_port()
    env = {**os.environ, "PLAN_ALIGN_DATA": str(data_dir), "PLAN_ALIGN_DB": str(db)}
    log = open(db.parent / f"server-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app server did not start: {(db.parent / f'server-{port}.log').read_text()}")
            time.sleep(0.3)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


@contextmanager
def browser_page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True,
                                          locale="zh-CN")
            page = context.new_page()
            page.set_default_timeout(90_000)
            yield page
        finally:
            browser.close()


def _confirm_first_link(page, url: str, keep_query: str = "") -> None:
    page.goto(f"{url}/{quote('审核_Review')}" + (f"?{keep_query}" if keep_query else ""))
    page.get_by_text("候选 xian-2024:", exact=False).first.wait_for()
    confirm = page.get_by_role("button", name="确认", exact=False).first
    box = confirm.bounding_box()
    assert box and box["y"] + box["height"] <= page.viewport_size["height"], "the buttons are on a laptop's first screen"
    confirm.click()
    page.get_by_text("已记录 recorded", exact=False).first.wait_for()


@pytest.fixture()
def private_data(data_copy, tmp_path):
    return Path(data_copy.data_dir), tmp_path / "decisions.sqlite"


def _settled_history_length(page, *, quiet_ms: int = 1500, limit_ms: int = 15_000) -> int:
    """The browser history's length once it has not changed for ``quiet_ms``: a fixed wait was too short on a
    loaded machine, where the page's run ends later."""
    length, quiet, waited = page.evaluate("history.length"), 0, 0
    while quiet < quiet_ms and waited < limit_ms:
        page.wait_for_timeout(250)
        waited += 250
        now = page.evaluate("history.length")
        quiet = quiet + 250 if now == length else 0
        length = now
    return length


def test_confirm_a_link_and_leave_with_an_excel_table(private_data, tmp_path):
    data_dir, db = private_data
    with app_server(data_dir, db) as (url, _), browser_page() as page:
        page.goto(f"{url}/{quote('审核_Review')}")
        name = page.get_by_role("textbox", name="审核人 Reviewer")
        name.fill("王工")
        name.press("Enter")
        page.wait_for_url("**reviewer=*")
        page.reload()  # a reload must not hand the next decision to the default reviewer
        page.get_by_text("候选 xian-2024:", exact=False).first.wait_for()
        # the sidebar may draw its box a moment after the page (the session is taken up again): wait for the name
        sync_api.expect(page.get_by_role("textbox", name="审核人 Reviewer")).to_have_value("王工", timeout=10_000)
        _confirm_first_link(page, page.url.split("?")[0].rsplit("/", 1)[0], keep_query=page.url.split("?", 1)[1])
        nav = page.get_by_test_id("stSidebarNav")
        assert nav.get_by_text("首页 Home").is_visible(), "the first sidebar entry names the home page, not app.py"
        assert nav.get_by_text("审核 Review").is_visible()
        # another page keeps the pair and the name in its address, written once: a reload on Evolution opened the
        # default pair again, and each value written apart was a step of the browser's history (Back took 3 presses)
        before = page.evaluate("history.length")
        nav.get_by_text("覆盖 Coverage").click()
        page.wait_for_function("() => decodeURIComponent(location.pathname).endsWith('覆盖_Coverage')"
                               " && location.search.includes('source=baqiao-2023') && location.search.includes('reviewer=')")
        page.get_by_text("市级条目", exact=False).first.wait_for()
        steps = _settled_history_length(page)  # whatever the page's runs write into the address, they have written
        assert steps - before <= 2, "Streamlit's own step to the page, then one address"
        nav.get_by_text("审核 Review").click()
        page.get_by_text("候选 xian-2024:", exact=False).first.wait_for()
        page.mouse.move(800, 500)
        page.mouse.wheel(0, -5000)  # the screenshot shows the page from its top
        page.wait_for_timeout(500)  # let charts settle for the screenshot
        page.screenshot(path=str(tmp_path / "review.png"), full_page=False)
        assert (tmp_path / "review.png").stat().st_size > 10_000, "the screenshot shows a rendered page"
        if SCREENSHOT:
            shutil.copyfile(tmp_path / "review.png", REPO / SCREENSHOT)

        page.goto(f"{url}/{quote('导出_Export')}")
        page.get_by_role("button", name="生成文件 Prepare file").click()
        download_button = page.get_by_role("button", name="下载 Download", exact=False)
        download_button.wait_for()
        with page.expect_download() as info:
            download_button.click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)

    with DecisionStore(db) as store:
        confirmed = store.confirmed_links("baqiao-2023", "xian-2024")
    assert confirmed.height == 1
    book = openpyxl.load_workbook(saved, read_only=True)
    assert book.sheetnames == ["汇总", "文档来源", "导出信息", "baqiao-2023→xian-2024"]
    sheet = book["baqiao-2023→xian-2024"]
    rows = list(sheet.iter_rows(values_only=True))
    record = dict(zip(rows[0], rows[1]))
    assert len(rows) == 2
    assert (record["源条目"], record["目标条目"]) == tuple(confirmed.select("source_id", "target_id").row(0))
    assert record["审核人"] == "王工", "the name typed in the sidebar, kept through a reload"


def test_a_confirmed_decision_survives_the_server_being_killed(private_data):
    data_dir, db = private_data
    with app_server(data_dir, db) as (url, process), browser_page() as page:
        _confirm_first_link(page, url)
        os.kill(process.pid, signal.SIGKILL)  # the moment the app has acknowledged the click
        process.wait(timeout=10)
    with DecisionStore(db) as store:
        current = store.current()
    assert current.height == 1
    assert current["decision"].to_list() == ["confirmed"]


def test_a_second_y_pressed_before_the_page_redraws_confirms_nothing_unseen(private_data):
    """An impatient second Y (or click), pressed while the first decision was still being drawn (a second or two
    on a busy machine), confirmed the next item, which the page had never shown (a browser probe: 55 →
    xian-2024:1, then 106 → xian-2024:29). Here the server's answer to the first press is held back until the
    second, so the page still shows the first item, as it did on the probe's loaded machine."""
    data_dir, db = private_data
    held: list = []
    holding = [False]
    sent: list = []  # what the page sent the server: a press the page dropped sends nothing

    def hold_the_servers_answers(browser_side) -> None:
        server = browser_side.connect_to_server()
        browser_side.on_message(lambda message: (sent.append(message), server.send(message)))
        server.on_message(lambda message: held.append(message) if holding[0] else browser_side.send(message))

    with app_server(data_dir, db) as (url, _), browser_page() as page:
        page.route_web_socket("**/_stcore/stream", hold_the_servers_answers)
        page.goto(f"{url}/{quote('审核_Review')}")
        page.get_by_text("候选 xian-2024:", exact=False).first.wait_for()
        page.get_by_role("button", name="确认", exact=False).first.wait_for()
        _wait_until_idle(page)  # a press while the page still draws finds no button to press
        confirm = page.get_by_role("button", name="确认", exact=False).first
        holding[0] = True
        before = len(sent)
        for _ in range(3):  # a press headless Chromium drops right after a run (it sends nothing) never reached the app
            confirm.click()
            for _ in range(20):
                if len(sent) > before:
                    break
                page.wait_for_timeout(100)
            if len(sent) > before:
                break
        first = _decisions_within(db, 1, seconds=60)  # recorded, and the next item drawn; the page shows neither
        assert len(first) == 1, "the first press was not recorded"
        page.wait_for_timeout(1000)
        confirm.click()  # Y or a click: the button on screen, the first item's
        page.wait_for_timeout(3000)
        with DecisionStore(db) as store:
            decided = store.log().select("source_id", "target_id", "decision").rows()
    assert decided == first, decided


def _wait_until_idle(page, seconds: float = 60) -> None:
    """Until the app has finished its run: no running indicator, the page's text unchanged twice over."""
    deadline, last, steady = time.monotonic() + seconds, None, 0
    while time.monotonic() < deadline and steady < 2:
        running = page.locator('[data-testid="stStatusWidgetRunningIcon"], [data-testid="stSpinner"]').count()
        text = page.locator('[data-testid="stMain"]').inner_text()
        steady = steady + 1 if not running and text == last else 0
        last = text
        page.wait_for_timeout(300)


def _decisions_within(db: Path, count: int, *, seconds: float) -> list[tuple]:
    """The store's log rows once it holds ``count`` of them (or what it holds after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while True:
        if db.exists():
            with DecisionStore(db) as store:
                rows = store.log().select("source_id", "target_id", "decision").rows()
            if len(rows) >= count or time.monotonic() > deadline:
                return rows
        elif time.monotonic() > deadline:
            return []
        time.sleep(0.3)
