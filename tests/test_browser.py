"""The staff page in a real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

One walk through what staff do: search, open a directive, correct it, have
the machine re-extract the document (the directive's row id changes), see the
correction kept, and download the sheet for the current view. And the
overview page: its SVG charts drawn with a Chinese font, a bar that opens its list.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook

CHROMIUM = Path("/usr/bin/chromium")
FIXTURES = Path(__file__).parent / "fixtures" / "web"
NOTICE = "2024-03-08_notice_ranqi.txt"
AS_OF = dt.date(2024, 8, 1)
SCREENSHOT = Path("/tmp/duban-page.png")
OVERVIEW_SCREENSHOT = Path("/tmp/duban-overview.png")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is missing (Debian package 'chromium'; .ci/run installs it)")


@pytest.fixture
def served(tmp_path):
    """A store with the fixture documents ingested and tracked, served on a free localhost port."""
    from werkzeug.serving import make_server

    from pipeline.ingest.pipeline import ingest_paths
    from pipeline.store import open_db
    from pipeline.web.app import create_app

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in (NOTICE, "2024-04-02_notice_xiaofang.txt", "2024-07-10_report_shangbannian.txt"):
        shutil.copy(FIXTURES / name, docs / name)
    db_path = tmp_path / "duban.db"
    db = open_db(db_path)
    report = ingest_paths(db, sorted(docs.iterdir()))
    assert not report.errors
    try:
        from pipeline.track.tracker import track_store

        track_store(db, as_of=AS_OF)
    except ImportError:
        pass
    from pipeline.web.schema import migrate_users
    from pipeline.web.users import add_user

    migrate_users(db)                     # schema step 11 (a no-op once open_db runs it)
    add_user(db, "王五", "browser-pass-1")
    db.conn.close()
    server = make_server("127.0.0.1", 0, create_app(str(db_path), secret_key="browser-test", as_of=AS_OF),
                         threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", db_path, docs
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        context = browser.new_context(locale="zh-CN", accept_downloads=True, viewport={"width": 1200, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


def _reextract(db_path: Path, source: Path) -> tuple[int, int]:
    """What a newer extractor run does: parse the file again and replace the document's directives."""
    from pipeline.extract.extractor import extract_directives
    from pipeline.ingest.readers import read_file
    from pipeline.parse.document import parse_raw
    from pipeline.store import open_db
    from pipeline.corrections.carry import carry_forward
    from pipeline.store.documents import write_directives

    db = open_db(db_path)
    doc_id = db.execute("SELECT id FROM documents WHERE source LIKE ?", [f"%{source.name}"]).fetchone()[0]
    before = db.execute("SELECT max(id) FROM directives").fetchone()[0]
    doc = parse_raw(read_file(source))
    with db.conn:
        write_directives(db, doc_id, extract_directives(doc), "extract-rerun", after_write=carry_forward)
    after = db.execute("SELECT min(id) FROM directives WHERE doc_id = ?", [doc_id]).fetchone()[0]
    db.conn.close()
    return before, after


def _directive_id(db_path: Path, prefix: str) -> int:
    from pipeline.store import open_db

    db = open_db(db_path)
    try:
        return db.execute("SELECT id FROM directives WHERE text LIKE ?", [prefix + "%"]).fetchone()[0]
    finally:
        db.conn.close()


def test_search_open_correct_reextract_export(served, page, tmp_path):
    from playwright.sync_api import expect

    base, db_path, docs = served
    task = "区住建局要会同各街道（乡镇）全面排查整治燃气管道占压问题"

    # 1. search: highlighted words, status badges
    page.goto(base + "/")
    page.fill("input[name=q]", "燃气 占压")
    page.press("input[name=q]", "Enter")
    expect(page.locator("li.result").first).to_contain_text(task)
    expect(page.locator("li.result").first.locator("mark").first).to_have_text("燃气")
    expect(page.locator("li.result .badge").first).to_be_visible()

    # 2. open the directive: its sentence in context, under its heading
    page.click(f"text={task}")
    expect(page.locator("#sentence")).to_contain_text(task)
    expect(page.locator("nav.crumbs")).to_contain_text("一、全面排查燃气管道隐患")
    expect(page.locator("#context")).to_contain_text("各燃气经营企业要建立用户安全检查台账")
    directive_url = page.url
    old_id = _directive_id(db_path, task)

    # 3. sign in (corrections are recorded under the signed-in user), back on the same page
    expect(page.locator("#sign-in-to-correct")).to_be_visible()
    page.click("#sign-in-to-correct a")
    page.fill("input[name=name]", "王五")
    page.fill("input[name=password]", "browser-pass-1")
    page.click("form.signin button[type=submit]")
    assert page.url == directive_url
    expect(page.locator("#signed-in")).to_contain_text("王五")

    # correct it: parties, sectors, deadline, then the status with a comment
    form = page.locator("#form-edit")
    form.locator("input[name=parties]").fill("区住建局、各街道（乡镇）、区城管局")
    form.locator("input[name=sectors][value='城乡住房']").check()
    form.locator("input[name=deadline_date]").fill("2024-06-15")
    form.locator("input[name=comment]").fill("据会议纪要，城管局参与")
    form.locator("button[value=edit]").click()
    expect(page.locator(".flash")).to_contain_text("已保存更正")
    expect(page.locator("#parties")).to_contain_text("区住建局、各街道（乡镇）、区城管局")
    status_form = page.locator("#form-status")
    expect(page.locator("table.history")).to_contain_text("王五")           # recorded under the user
    status_form.locator("select[name=status]").select_option("in_progress")
    status_form.locator("textarea[name=comment]").fill("7月报告称已消除56处，仍有新增占压")
    status_form.locator("button[value=status]").click()
    expect(page.locator(".flash")).to_contain_text("已设定落实状态")
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # 4. the machine re-extracts the document: rows replaced, ids changed
    _reextract(db_path, docs / NOTICE)
    assert _directive_id(db_path, task) != old_id

    # 5. the correction is still there, at the same address
    page.goto(directive_url)
    expect(page.locator("#parties")).to_contain_text("区住建局、各街道（乡镇）、区城管局")
    expect(page.locator("#sectors")).to_contain_text("城乡住房")
    expect(page.locator("#deadline")).to_contain_text("2024-06-15")
    expect(page.locator("section.directive .badge").first).to_contain_text("推进中")
    expect(page.locator("table.history")).to_contain_text("王五")

    # 6. export the sheet of the current search and read it back
    page.goto(base + "/?q=燃气&sector=城镇燃气")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    path = tmp_path / "sheet.xlsx"
    download.value.save_as(path)
    ws = load_workbook(path)["督办台账"]
    headers = [c.value for c in ws[1]]
    row = next(dict(zip(headers, r)) for r in ws.iter_rows(min_row=2, values_only=True) if str(r[1]).startswith(task))
    assert row["责任单位"] == "区住建局、各街道（乡镇）、区城管局"
    assert row["完成时限"] == dt.datetime(2024, 6, 15)
    assert row["落实状态"] == "推进中"
    assert "王五" in row["备注"] and "7月报告称已消除56处" in row["落实依据（后续报告摘录）"]


def _cjk_families() -> set[str]:
    """Font families fontconfig says can draw Chinese (every name of each: "Noto Sans CJK SC,Noto Sans CJK SC …")."""
    if not shutil.which("fc-list"):
        return set()
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def _glyph_png(page, char: str) -> bytes:
    """A screenshot of ``char`` alone at 48 px in the page's font (a span added by DevTools, not by the page)."""
    page.evaluate("""(ch) => { const s = document.createElement('span'); s.id = 'glyph-probe';
        s.textContent = ch; s.style.fontSize = '48px'; s.style.lineHeight = '1'; s.style.display = 'inline-block';
        s.style.background = '#fff'; s.style.color = '#000'; document.body.prepend(s); }""", char)
    try:
        return page.locator("#glyph-probe").screenshot()
    finally:
        page.evaluate("document.getElementById('glyph-probe').remove()")


def test_overview_charts_render_chinese(served, page):
    """The overview's SVG is drawn, with a CJK font (not tofu), and a bar leads to a list of its size."""
    from playwright.sync_api import expect

    families = _cjk_families()
    if not families:
        pytest.skip("no font can draw Chinese (`fc-list :lang=zh` is empty): install Debian's fonts-noto-cjk")
    base, _, _ = served
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/")
    page.click("#nav-overview")
    for chart in ("status", "units", "sectors", "months", "trend"):
        expect(page.locator(f"svg#chart-{chart}")).to_be_visible()
    expect(page.locator("#chart-units a.row text").first).to_be_visible()

    # 1. The fonts Chromium actually drew a unit's label with (DevTools) include one fontconfig lists for zh.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#chart-units a.row text"})["nodeId"]
    used = {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            if f["glyphCount"]}
    assert used & families, f"Chinese labels drawn with {used}, none of them a CJK font"

    # 2. Distinct characters rasterise to distinct pictures, and none to the box of a character no font has.
    pictures = {ch: _glyph_png(page, ch) for ch in ("安", "逾", "\ue000")}
    assert pictures["安"] != pictures["逾"], "two Chinese characters look the same: tofu"
    assert pictures["\ue000"] not in (pictures["安"], pictures["逾"])
    page.screenshot(path=str(OVERVIEW_SCREENSHOT), full_page=True)

    # 3. A segment of a unit's bar opens the list of that many directives.
    bar = page.locator("#chart-units a.bar").first
    count = bar.get_attribute("data-count")
    bar.click()
    expect(page.locator(".summary strong").first).to_have_text(count)
    assert "status=" in page.url and "party=" in page.url


def test_document_count_reads_as_one_phrase(served, page):
    """找到 3 篇文档 stands together at the start of its line, as the directive count does, not spread over
    the line's two ends and middle by the summary's flex layout."""
    base, _db_path, _docs = served
    for url, words in ((base + "/?scope=documents", "篇文档"), (base + "/?q=燃气", "条督办事项")):
        page.goto(url)
        summary = page.locator(".summary").first
        number = summary.locator("strong").first
        line, count = summary.bounding_box(), number.bounding_box()
        assert count["x"] - line["x"] < 80, (url, line, count)
        phrase = page.evaluate("(el) => el.closest('span').textContent", number.element_handle())
        assert phrase.startswith("找到") and words in phrase
