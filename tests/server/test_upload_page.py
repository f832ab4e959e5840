"""The upload page at / end to end: headless system Chromium, driven by Playwright, against a real uvicorn server.

Skipped (with the reason) when the Playwright package or /usr/bin/chromium is missing; CI installs both
(.ci/run installs Chromium with apt-get, the test extra installs Playwright). `playwright install` is never used.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import httpx
import openpyxl
import pytest

from server_helpers import AUTH, TOKEN, XML_NAME

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

try:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="Playwright for Python is not installed "
                                                       "(pip install -e '.[test]')"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no system Chromium at /usr/bin/chromium "
                                                     "(apt-get install chromium; .ci/run does this in CI)"),
]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True, timeout=30_000)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def page(browser, live_server):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    problems: list[str] = []
    # answers with a 4xx status are expected in some tests; anything else (a CSP violation, a script error) is not
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource: the server responded with a "
                                                            "status of 4") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(live_server.url + "/")
    yield page
    context.close()
    assert problems == [], f"the page logged errors (a CSP violation?): {problems}"


def _choose(page, path: Path) -> None:
    page.get_by_label("Choose a workbook (.xlsx) or ILR XML file").set_input_files(str(path))


def test_check_a_workbook_see_findings_by_rule_and_download_both_files(page, live_server, files):
    expected = httpx.post(live_server.url + "/v1/validate", headers=AUTH, timeout=60,
                          files={"file": ("errors.xlsx", files.errors.read_bytes())}).json()
    assert expected["findings"]

    page.get_by_label("API token", exact=True).fill(TOKEN)
    _choose(page, files.errors)
    expect(page.locator("#chosen")).to_contain_text("errors.xlsx")
    page.get_by_role("button", name="Check and convert").click()

    heading = page.get_by_role("heading", name="3. Results")
    expect(heading).to_be_visible()
    expect(heading).to_be_focused()  # keyboard and screen-reader users land on the results
    expect(page.locator("#summary")).to_contain_text(f"{expected['summary']['errors']} error")
    # one section per rule, headed by its code, with the cell references in a table
    rules = list(dict.fromkeys(f["rule"] for f in expected["findings"]))
    sections = page.locator("section.rule")
    expect(sections).to_have_count(len(rules))
    for code in rules:
        expect(page.get_by_role("heading", name=re.compile(rf"^{re.escape(code)}\b"))).to_be_visible()
    cells = {f"{f['sheet']}!{f['column']}{f['row']}" for f in expected["findings"] if f["column"]}
    table_text = page.locator("#findings").inner_text()
    for cell in cells:
        assert cell in table_text
    expect(page.locator("#findings table caption").first).to_contain_text("Where")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the ILR XML file").click()
    xml = download_info.value
    assert re.fullmatch(XML_NAME, xml.suggested_filename)
    assert Path(xml.path()).read_bytes().startswith(b"<?xml")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the annotated workbook").click()
    annotated = download_info.value
    assert annotated.suggested_filename == "errors-annotated.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(annotated.path()).read_bytes()))
    assert "Learners" in book.sheetnames

    # the token stays in this tab only
    assert page.evaluate("sessionStorage.getItem('ilrkit.token')") == TOKEN
    assert page.evaluate("localStorage.length") == 0
    page.reload()
    expect(page.get_by_label("API token", exact=True)).to_have_value(TOKEN)
    page.get_by_role("button", name="Forget token").click()
    assert page.evaluate("sessionStorage.getItem('ilrkit.token')") is None


def test_drop_a_workbook_and_the_page_is_accessible(page, files):
    unlabelled = page.evaluate("""[...document.querySelectorAll('input, button, select, textarea')]
        .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.textContent.trim()
                     && !e.getAttribute('aria-label')).map(e => e.id)""")
    assert unlabelled == []
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    expect(page.get_by_role("status")).to_have_count(1)

    page.get_by_label("API token", exact=True).fill(TOKEN)
    content = base64.b64encode(files.clean.read_bytes()).decode()
    page.evaluate("""([b64, name]) => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name));
        const zone = document.getElementById('drop-zone');
        zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", [content, "dropped.xlsx"])
    expect(page.locator("#chosen")).to_contain_text("dropped.xlsx")
    page.get_by_role("button", name="Check and convert").click()
    expect(page.locator("#findings")).to_contain_text("No problems found.")
    expect(page.get_by_role("button", name="Download the ILR XML file")).to_be_enabled()
    expect(page.locator("#xml-note")).to_contain_text("ready to submit")


def test_problems_are_shown_plainly(page, files):
    page.get_by_role("button", name="Check and convert").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a workbook first")

    page.get_by_label("API token", exact=True).fill("wrong-token-wrong-token-wrong")
    _choose(page, files.clean)
    page.get_by_role("button", name="Check and convert").click()
    expect(page.get_by_role("alert")).to_contain_text("not one this server knows")

    page.get_by_label("API token", exact=True).fill(TOKEN)
    _choose(page, files.text)
    page.get_by_role("button", name="Check and convert").click()
    expect(page.get_by_role("alert")).to_contain_text("neither an Excel workbook")

    _choose(page, files.blocked)
    page.get_by_role("button", name="Check and convert").click()
    expect(page.locator("#xml-note")).to_contain_text("schema")
    expect(page.get_by_role("button", name="Download the ILR XML file")).to_be_disabled()
    expect(page.locator("section.rule").first).to_be_visible()


def test_an_error_of_the_whole_file_is_not_counted_in_learners(page, files):
    from server_helpers import clean_learners, make_workbook

    header_only = make_workbook(files.folder / "header-error.xlsx", clean_learners(2), Release="x" * 30)
    page.get_by_label("API token", exact=True).fill(TOKEN)
    _choose(page, header_only)
    page.get_by_role("button", name="Check and convert").click()
    expect(page.locator("#summary")).to_contain_text("1 error in the file as a whole (not in any learner)")
    expect(page.locator("#summary")).not_to_contain_text("0 learners")
