"""Browser-test plumbing shared by the web app's browser tests: Debian's Chromium through
Playwright (every request off 127.0.0.1 is aborted), the app as a real subprocess (offline, or on
the scripted LLM server), and the page helpers a test drives it with. Screenshots go to
test-artifacts/screenshots/ (git-ignored).

Import the fixtures into a test module: `from webui import browser, page, offline_app, …`.
"""

from __future__ import annotations

import re
import shutil
import time
from urllib.parse import urlparse

import pytest
from app_process import AppProcess
from conftest import ARTIFACTS, SEED_INPUTS
from llm_server import ScriptedLLMServer
from playwright.sync_api import Page, expect, sync_playwright

SHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REGION, YEAR = "珲春市", 2023
REPORT_LABEL = f"{REGION} {YEAR}年"
SAMPLE_REPORT_TITLE = "珲春市2023年法治政府建设年度报告"  # corpus/reports, indexed by the app at start
PART1_LABEL = "一、推进法治政府建设的主要举措和成效"
PART2_HEADING = "二、2023年推进法治政府建设存在的不足和原因"
PART2 = (PART2_HEADING + "\n"
         "一是法治意识有待提高，究其原因，个别单位学习停留在表面；二是专业人才队伍仍需加强，究其原因，法律专业人才较少。")
PART2_SHORTER = PART2_HEADING + "\n一是法治意识不强，原因在于学习不深；二是法律人才不足，原因在于编制有限。"
SLOW = 60_000  # ms: drafting, the first embedding query, an app's first event


# -- browser and apps ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")  # one per test module: two live sync_playwright instances cannot share a process
def browser():
    exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("needs Debian's chromium (/usr/bin/chromium)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _is_local(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return urlparse(url).hostname in ("127.0.0.1", "localhost")


@pytest.fixture()
def page(browser, request):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN", accept_downloads=True)
    context.route(lambda url: not _is_local(url), lambda route: route.abort())  # nothing leaves the machine
    context.set_default_timeout(20_000)
    page = context.new_page()
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:  # keep what the page looked like when it failed
        try:
            shot(page, f"failed-{request.node.name}")
        except Exception:  # noqa: BLE001 - the page may be gone
            pass
    context.close()


@pytest.fixture(scope="module")
def offline_app(tmp_path_factory, vector_cache):
    with AppProcess(tmp_path_factory.mktemp("offline") / "data", vector_cache) as app:
        yield app


@pytest.fixture(scope="module")
def llm_server():
    with ScriptedLLMServer() as server:
        yield server


@pytest.fixture(scope="module")
def llm_app(tmp_path_factory, vector_cache, llm_server):
    env = {"OPENAI_BASE_URL": llm_server.url, "ASSISTANT_LLM_MODEL": "test-model", "OPENAI_API_KEY": "sk-test",
           "ASSISTANT_LLM_TIMEOUT": "20"}
    with AppProcess(tmp_path_factory.mktemp("llm") / "data", vector_cache, env) as app:
        yield app


# -- page helpers --------------------------------------------------------------------------------------------
def shot(page: Page, name: str, full_page: bool = True) -> None:
    """A screenshot under test-artifacts/screenshots/ (`full_page=False` for what is on screen,
    e.g. a toast, which a full-page capture can leave out)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until no event is running: Gradio shows a status tracker (without the class "hide")
    on an event's outputs from the moment it is triggered until its last update."""
    page.wait_for_function("() => !document.querySelector('[data-testid=status-tracker]:not(.hide)')", timeout=timeout)


def open_app(page: Page, app: AppProcess, timeout: float = 90.0) -> None:
    """Load the page and wait until its start-up event has run and the sample corpus is indexed
    (the app indexes corpus/reports in the background at start; reload until it is listed)."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(app.url, wait_until="load")
        tab(page, "知识库")
        try:
            expect(page.locator("#docs")).to_contain_text(SAMPLE_REPORT_TITLE, timeout=5_000)
            break
        except AssertionError:
            if time.monotonic() > deadline:
                raise
    tab(page, "起草与修改")


def open_report(page: Page, region: str = REGION, year: int = YEAR) -> None:
    """Select the report, creating it unless the start-up event already selected it."""
    label = f"{region} {year}年"
    report = page.locator("#report input")
    if report.input_value() != label:
        page.locator("#new-region textarea, #new-region input").first.fill(region)
        page.locator("#new-year input").fill(str(year))
        page.locator("#create-report").click()
        expect(report).to_have_value(label)
        wait_idle(page)
    expect(page.locator("#sections")).to_contain_text("落款")


def load_sample_inputs(page: Page, force: bool = False) -> None:
    """Upload corpus/inputs/hunchun-2023.yaml on 指标与素材 (unless the report already has inputs)."""
    tab(page, "指标与素材")
    message = page.locator("#inputs-message")
    expect(message).not_to_be_empty()
    if force or "已载入" not in message.inner_text():
        page.locator("#inputs-upload input[type=file]").set_input_files(str(SEED_INPUTS))
        expect(message).to_contain_text(re.compile(r"已载入 27 个指标、\d+ 条工作素材（珲春市2023年度，来自 hunchun-2023.yaml）"))
    expect(page.locator("#figures")).to_contain_text("mediation.accepted")
    tab(page, "起草与修改")


def select_section(page: Page, token: str) -> None:
    page.locator("#sections label").filter(has_text=f"{token}、").click()
    expect(page.locator(f"#sections input[value='{token}']")).to_be_checked()
    wait_idle(page)  # the section's text, findings and versions are loaded


def editor(page: Page):
    return page.locator("#editor textarea")


def open_versions(page: Page) -> None:
    if not page.locator("#version-a").is_visible():
        page.locator("#versions-panel").get_by_text("版本历史（比较与恢复）").click()
    expect(page.locator("#version-a")).to_be_visible()


def dropdown_options(page: Page, elem_id: str) -> list[str]:
    page.locator(f"#{elem_id} input").click()
    options = page.locator("[role=listbox] [role=option]")
    expect(options.first).to_be_visible()
    texts = [re.sub(r"^✓\s*", "", t.strip()) for t in options.all_inner_texts()]  # ✓ marks the selected one
    page.keyboard.press("Escape")
    expect(options).to_have_count(0)
    return texts


def send_chat(page: Page, text: str) -> None:
    wait_idle(page, SLOW)  # the previous answer has finished (it empties the box when it ends)
    box = page.locator("#chat-input textarea")
    box.fill(text)
    box.press("Enter")


def bot_messages(page: Page):
    return page.locator("#chat [data-testid=bot]")


NEXT_YEAR_INPUTS = SEED_INPUTS.parent / "hunchun-2024-sample.yaml"


def open_2024_report(page: Page, app: AppProcess, region: str) -> None:
    open_app(page, app)
    open_report(page, region, 2024)
    tab(page, "指标与素材")
    page.locator("#inputs-upload input[type=file]").set_input_files(str(NEXT_YEAR_INPUTS))
    expect(page.locator("#inputs-message")).to_contain_text("已载入 27 个指标", timeout=SLOW)
    tab(page, "起草与修改")
