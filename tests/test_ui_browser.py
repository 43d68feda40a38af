"""The app in a real headless Chromium: ask, open a citation, follow up, search quotes, upload, evaluate.

Needs Debian's chromium at /usr/bin/chromium (Playwright cannot download its own here). Each
test writes a screenshot to tests/artifacts/screenshots/ for a human to look at.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ui_serving import serving, writable_engine

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ANSWER_MS = 60_000
UPLOAD_MS = 120_000  # the first upload loads the NLP model for quote extraction

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def app_url(seed_index, real_embedder, tmp_path_factory):
    engine = writable_engine(seed_index, tmp_path_factory.mktemp("ui-browser"), real_embedder)
    with serving(engine) as url:
        yield url
    engine.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser session (its own cookies and Gradio session) on the app, with JS dialogs and errors recorded."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(app_url)
    page.wait_for_selector("#qa-chat .qa-chat", timeout=30_000)
    yield page
    context.close()


def shot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(700)  # let Gradio's fade-in and the panel's smooth scroll finish
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def ask(page, question: str) -> None:
    turns = page.locator("#qa-chat .qa-turn .qa-bot").count()
    page.locator("#qa-question textarea").fill(question)
    page.click("#qa-send")
    page.wait_for_function(
        "n => document.querySelectorAll('#qa-chat .qa-turn .qa-bot').length > n && !document.querySelector('#qa-chat .qa-thinking')",
        arg=turns, timeout=ANSWER_MS,
    )


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_ask_open_citation_and_follow_up(page, browser, app_url):
    expect = playwright_api.expect
    expect(page.locator(".qa-example").first).to_be_visible()
    shot(page, "chat-empty")
    ask(page, "What did Chemezov say?")
    last = page.locator("#qa-chat .qa-turn").last
    expect(last.locator(".qa-answered")).to_have_count(1)
    expect(last).to_contain_text("Chemezov")
    refs = last.locator(".qa-citations button.qa-ref")
    assert refs.count() >= 1
    ref = refs.last  # not the one the panel opens by itself
    label = ref.inner_text()
    ref.click()
    expect(page.locator("#qa-panel .qa-source-label")).to_have_text(label)
    expect(page.locator("#qa-panel .qa-chip.qa-active")).to_contain_text(label)
    mark = page.locator("#qa-panel .qa-source-body mark.qa-cited").first
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    assert mark.inner_text().strip()
    expect(page.locator("#qa-panel .qa-source-meta")).to_contain_text("¶")
    shot(page, "chat-source")

    with page.expect_download() as download:
        page.click("#qa-export")
    notes = Path(download.value.path()).read_text(encoding="utf-8")
    assert "## 1. What did Chemezov say?" in notes and "Sources:" in notes and "`" in notes

    ask(page, "Who heads the FSMTC?")
    ask(page, "What did he say?")
    follow = page.locator("#qa-chat .qa-turn").last
    expect(follow.locator(".qa-resolved")).to_contain_text("Shugaev")
    shot(page, "chat-follow-up")

    # Another browser session starts with an empty conversation of its own, and its questions stay in it.
    other = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
    other.goto(app_url)
    other.wait_for_selector("#qa-chat .qa-examples", timeout=30_000)
    assert other.locator("#qa-chat .qa-turn").count() == 0
    other.locator(".qa-example").first.click()  # an example question is asked at once
    expect(other.locator("#qa-chat .qa-turn .qa-bot:not(:has(.qa-thinking))")).to_have_count(1, timeout=ANSWER_MS)
    other.context.close()
    expect(page.locator("#qa-chat .qa-turn")).to_have_count(3)
    assert not page.dialogs


def test_quotes_tab_finds_a_misspelt_speaker(page):
    expect = playwright_api.expect
    open_tab(page, "Quotes")
    expect(page.locator("#qa-speakers")).to_contain_text("Sergei Chemezov")
    page.locator("#qa-person").get_by_role("textbox").fill("chemezow")
    page.click("#qa-find")
    expect(page.locator(".qa-speaker-name").first).to_have_text("Sergei Chemezov", timeout=ANSWER_MS)
    expect(page.locator(".qa-statement-card .qa-badge.qa-direct").first).to_be_visible()
    expect(page.locator(".qa-statement-card mark").first).to_be_visible()
    shot(page, "quotes", full_page=True)


def test_uploaded_payloads_are_shown_as_text_and_run_nothing(page, tmp_path: Path):
    expect = playwright_api.expect
    payload = tmp_path / "payload.txt"
    payload.write_text(
        'Quayside <img src=x onerror="window.__xss=1"> bulletin\n\n'
        "The Zorvath harbour board approved the grain quay. <script>window.__xss=2; alert(2)</script>\n\n"
        'Inspectors said the Zorvath quay was safe <img src=x onerror="window.__xss=3;alert(3)"> for ships.\n',
        encoding="utf-8",
    )
    open_tab(page, "Documents")
    page.locator("#qa-upload input[type=file]").set_input_files(str(payload))
    page.click("#qa-add")
    expect(page.locator("#qa-upload-status")).to_contain_text("Added 1 document", timeout=UPLOAD_MS)
    expect(page.locator("#qa-docs-table")).to_contain_text('<img src=x onerror="window.__xss=1">')
    expect(page.locator(".qa-index-info")).to_contain_text("3 documents")
    shot(page, "documents")

    open_tab(page, "Chat")
    ask(page, "What did the Zorvath harbour board approve?")
    page.locator("#qa-chat .qa-turn").last.locator("button.qa-ref").first.click()
    panel = page.locator("#qa-panel")
    expect(panel).to_contain_text("Zorvath")
    expect(panel).to_contain_text("<script>window.__xss=2; alert(2)</script>")
    expect(panel).to_contain_text('<img src=x onerror="window.__xss=3;alert(3)">')
    shot(page, "xss-as-text")
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src='x']").count() == 0
    assert not page.dialogs


def test_evaluate_runs_a_test_set(page, tmp_path: Path):
    expect = playwright_api.expect
    items = [
        {"id": "q1", "question": "What did Chemezov say?", "kind": "quote", "answers": ["second part of the supply"],
         "evidence": ["Now we are working out a possible second part of the supply"]},
        {"id": "q2", "question": "Who heads the FSMTC?", "kind": "factoid", "answers": ["Dmitry Shugaev"], "evidence": ["Dmitry Shugaev"]},
        {"id": "q3", "question": "What is the population of Lima?", "kind": "unanswerable", "answerable": False},
        # Fails on purpose, so the failures list is exercised and shows up in the screenshot.
        {"id": "q4", "question": "What did Chemezov say?", "kind": "quote", "answers": ["a zebra crossing"], "evidence": []},
    ]
    testset = tmp_path / "mini.jsonl"
    testset.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    open_tab(page, "Evaluate")
    page.locator("#qa-testset input[type=file]").set_input_files(str(testset))
    page.click("#qa-run-eval")
    expect(page.locator("#qa-eval-metrics .qa-cards")).to_be_visible(timeout=ANSWER_MS)
    expect(page.locator("#qa-eval-metrics")).to_contain_text("4 items")
    assert page.locator("#qa-eval-plots svg").count() == 3
    expect(page.locator("#qa-eval-failures")).to_contain_text("Failures: 1 of 4")
    expect(page.locator("#qa-eval-failures #item-q4")).to_contain_text("no acceptable answer")
    shot(page, "evaluate", full_page=True)
