"""督办通知单: the DOCX read back with python-docx — page, type, page numbers — and which items each unit is
sent, checked against the search engine's own answer on the demo store, with staff corrections honoured."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corrections import log as corrections
from pipeline.extract.parties_norm import normalise_party
from pipeline.notice import (NoticeSettings, load_settings, open_items, safe_filename, write_all_notices,
                             write_notice)
from pipeline.notice.settings import apply
from pipeline.search.engine import Filters, search
from pipeline.store import open_db

from .conftest import DEMO

AS_OF = dt.date(2025, 12, 31)
ITEM_ID = re.compile(r"督办事项第(\d+)号")
MM = Mm(1)
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    """The demo corpus ingested and tracked once for the module (read-only for the tests that share it)."""
    from pipeline.ingest.pipeline import ingest_paths
    from pipeline.track.tracker import track_store

    path = tmp_path_factory.mktemp("notice") / "duban.db"
    db = open_db(path)
    ingest_paths(db, [DEMO])
    track_store(db, as_of=AS_OF)
    return path


@pytest.fixture(scope="module")
def notices(demo_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("notices")
    return out, write_all_notices(open_db(demo_store), out, as_of=AS_OF)


@pytest.fixture
def store_copy(demo_store, tmp_path):
    """A private copy of the demo store, for tests that record corrections."""
    target = tmp_path / "copy.db"
    src, dst = sqlite3.connect(demo_store), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return open_db(target)


def _expected(db) -> dict[str, set[int]]:
    """Open safety items per unit as the search engine answers (status filter, machine units)."""
    found: dict[str, set[int]] = {}
    for status in ("overdue", "no_evidence"):
        hits = search(db, filters=Filters(status=status), limit=100_000, as_of=AS_OF).hits
        for r in hits:
            for unit in r.party_types:
                found.setdefault(unit, set()).add(r.id)
    return found


def _ids(path: Path) -> list[int]:
    return [int(m.group(1)) for p in Document(path).paragraphs for m in ITEM_ID.finditer(p.text)]


def _east_asia(run) -> str | None:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _paragraph(doc, text: str):
    return next(p for p in doc.paragraphs if p.text == text)


def test_one_notice_per_unit_with_open_items_and_only_its_items(demo_store, notices):
    out, results = notices
    db = open_db(demo_store)
    expected = _expected(db)
    assert expected, "the demo store should have open safety items"
    assert {r.unit for r in results} == set(expected)
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(r.path.name for r in results)
    numbers = [int(re.search(r"〕(\d+)号", r.doc_number).group(1)) for r in results]
    assert numbers == list(range(1, len(results) + 1))
    for r in results:
        listed = _ids(r.path)
        assert set(listed) == expected[r.unit] == set(r.item_ids), r.unit
        assert len(listed) == len(set(listed))
        # Only safety directives of current documents are sent.
        rows = db.execute(
            f"SELECT d.safety, doc.duplicate_of FROM directives d JOIN documents doc ON doc.id = d.doc_id "
            f"WHERE d.id IN ({','.join('?' * len(listed))})", listed).fetchall()
        assert all(safety == 1 and dup is None for safety, dup in rows)
        assert r.overdue + r.no_evidence == r.count


def test_page_size_margins_and_footer_distance(notices):
    _, results = notices
    section = Document(results[0].path).sections[0]
    for value, mm in ((section.page_width, 210), (section.page_height, 297), (section.top_margin, 37),
                      (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(value - Mm(mm)) < 0.1 * MM, (value.mm, mm)
    # The page number sits below the type area (GB/T 9704: 7 mm under it), above the paper's edge.
    assert 0 < section.footer_distance < section.bottom_margin


def test_title_body_and_heading_fonts(notices):
    _, results = notices
    settings = load_settings()
    doc = Document(results[0].path)
    title = _paragraph(doc, settings.wording.title)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(r.font.size == Pt(22) and _east_asia(r) == "方正小标宋简体" for r in title.runs)
    intro = next(p for p in doc.paragraphs if p.text.startswith("经对安全生产督办事项"))
    assert intro.paragraph_format.first_line_indent == Pt(32)       # two characters of 三号
    assert all(r.font.size == Pt(16) and _east_asia(r) == "仿宋_GB2312" for r in intro.runs)
    heading = next(p for p in doc.paragraphs if re.match(r"^[一二]、", p.text))
    assert _east_asia(heading.runs[0]) == "黑体"
    # The document's defaults name the body font and no theme font that would override it.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and fonts.get(qn("w:eastAsiaTheme")) is None
    assert doc.styles["Normal"].font.size == Pt(16)


def test_document_number_issuer_and_date(notices):
    _, results = notices
    settings = load_settings()
    doc = Document(results[1].path)
    texts = [p.text for p in doc.paragraphs]
    assert f"{settings.issuer.number_prefix}〔{AS_OF.year}〕2号" in texts
    assert results[1].doc_number == f"{settings.issuer.number_prefix}〔{AS_OF.year}〕2号"
    assert f"{results[1].unit}：" in texts
    date, issuer = doc.paragraphs[-1], doc.paragraphs[-2]
    assert date.text == f"{AS_OF.year}年{AS_OF.month}月{AS_OF.day}日" and issuer.text == settings.issuer.name
    assert date.alignment == issuer.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_page_numbers_in_the_footer(notices):
    _, results = notices
    doc = Document(results[0].path)
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                       WD_ALIGN_PARAGRAPH.LEFT)):
        para = footer.paragraphs[0]
        assert para.alignment == align
        xml = para._p
        kinds = [el.get(qn("w:fldCharType")) for el in xml.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert [el.text.strip() for el in xml.iter(qn("w:instrText"))] == ["PAGE"]
        assert para.text.startswith("— ") and para.text.endswith(" —")
        assert all(r.font.size == Pt(14) and _east_asia(r) == "宋体" for r in para.runs)


def test_items_quote_their_latest_evidence_and_deadline(demo_store, notices):
    """An item with follow-ups quotes the latest one (by its document's date) with the document's title."""
    _, results = notices
    db = open_db(demo_store)
    checked = 0
    for result in results:
        text = "\n".join(p.text for p in Document(result.path).paragraphs)
        for item_id in result.item_ids:
            row = db.execute(
                "SELECT e.text, doc.title FROM evidence e JOIN documents doc ON doc.id = e.doc_id "
                "WHERE e.directive_id = ? AND doc.duplicate_of IS NULL AND COALESCE(doc.date, doc.published) <= ? "
                "ORDER BY COALESCE(doc.date, doc.published) DESC, e.score DESC LIMIT 1",
                [item_id, AS_OF.isoformat()]).fetchone()
            deadline = db.execute("SELECT deadline_date FROM directives WHERE id = ?", [item_id]).fetchone()[0]
            if row:
                assert f"“{row[0].strip()}”（《{row[1]}》" in text
                checked += 1
            if deadline:
                d = dt.date.fromisoformat(deadline)
                assert f"{d.year}年{d.month}月{d.day}日" in text
    assert checked, "some open item of the demo should have a follow-up to quote"


def test_corrections_are_honoured(store_copy, tmp_path):
    db = store_copy
    before = open_items(db, AS_OF)
    units = [u for u in before if u != "未明确责任单位"]
    unit = next(u for u in units if len(before[u]) >= 3)
    moved, rejected, finished = before[unit][0], before[unit][1], before[unit][2]
    # Parties corrected to a unit other than this one.
    new_party = "区消防救援大队" if unit != "消防救援机构" else "区教育局"
    new_unit = normalise_party(new_party)[0]
    assert new_unit != unit
    corrections.record(db, moved.id, "parties", [new_party], "测试员", "责任单位应为另一单位")
    corrections.record(db, rejected.id, "verdict", "rejected", "测试员", "只是号召，不是督办事项")
    corrections.record(db, finished.id, "status", "done", "测试员", "已电话核实完成")

    result = write_notice(db, unit, tmp_path / "unit.docx", as_of=AS_OF)
    listed = set(_ids(result.path))
    assert moved.id not in listed and rejected.id not in listed and finished.id not in listed
    assert listed == {r.id for r in before[unit]} - {moved.id, rejected.id, finished.id}
    other = write_notice(db, new_unit, tmp_path / "other.docx", as_of=AS_OF)
    assert moved.id in _ids(other.path)
    everywhere = {i for r in write_all_notices(db, tmp_path / "all", as_of=AS_OF) for i in r.item_ids}
    assert rejected.id not in everywhere and finished.id not in everywhere


def test_a_status_set_by_staff_puts_an_item_in_with_its_comment(store_copy, tmp_path):
    db = store_copy
    done = search(db, filters=Filters(status="done"), limit=100_000, as_of=AS_OF).hits
    item = next(r for r in done if r.party_types)
    corrections.record(db, item.id, "status", "overdue", "测试员", "复核发现并未完成整改")
    result = write_notice(db, item.party_types[0], tmp_path / "n.docx", as_of=AS_OF)
    assert item.id in result.item_ids
    text = "\n".join(p.text for p in Document(result.path).paragraphs)
    assert "复核发现并未完成整改" in text


def test_settings_file_changes_issuer_number_and_fonts(demo_store, tmp_path):
    toml = tmp_path / "notice.toml"
    toml.write_text('[issuer]\nname = "青禾区安全生产委员会办公室"\nnumber_prefix = "青安办督"\nbanner = false\n'
                    '[fonts]\ntitle = "黑体"\n[sizes]\ntitle_pt = 20\n', encoding="utf-8")
    db = open_db(demo_store)
    unit = next(u for u in open_items(db, AS_OF) if u != "未明确责任单位")
    result = write_notice(db, unit, tmp_path / "n.docx", settings=toml, as_of=AS_OF, number=7)
    doc = Document(result.path)
    texts = [p.text for p in doc.paragraphs]
    assert f"青安办督〔{AS_OF.year}〕7号" in texts and texts[-2] == "青禾区安全生产委员会办公室"
    title = _paragraph(doc, load_settings().wording.title)
    assert title.runs[0].font.size == Pt(20) and _east_asia(title.runs[0]) == "黑体"
    with pytest.raises(ValueError, match="nmae"):
        apply(NoticeSettings(), {"issuer": {"nmae": "x"}})
    with pytest.raises(ValueError):
        apply(NoticeSettings(), {"sizes": {"title_pt": "大"}})


def test_unknown_unit_and_units_without_open_items(demo_store, tmp_path):
    db = open_db(demo_store)
    with pytest.raises(ValueError, match="未知的责任单位"):
        write_notice(db, "火星办", tmp_path / "x.docx", as_of=AS_OF)
    # A party name is taken as the unit it normalises to.
    assert write_notice(db, "区应急管理局", tmp_path / "y.docx", as_of=AS_OF).unit == "应急管理部门"
    grouped = open_items(db, AS_OF)
    from pipeline.notice.items import known_units

    idle = next((u for u in known_units() if u not in grouped), None)
    if idle:
        result = write_notice(db, idle, tmp_path / "z.docx", as_of=AS_OF)
        assert not result.written and not (tmp_path / "z.docx").exists()


def test_safe_file_names():
    assert safe_filename("住建/交通:部门*?") == "住建_交通_部门__"
    assert safe_filename("..") == "单位" and safe_filename("CON") == "_CON"
    assert "/" not in safe_filename("../../etc/passwd")


def test_notice_command(demo_store, tmp_path):
    db = str(demo_store)
    result = runner.invoke(app, ["notice", "--all-units", "--out", str(tmp_path / "all"), "--db", db,
                                 "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "all").glob("*.docx"))
    assert files and f"共生成 {len(files)} 份督办通知单" in result.output
    unit = files[0].stem.removeprefix("督办通知单_")
    one = tmp_path / "one.docx"
    result = runner.invoke(app, ["notice", "--unit", unit, "--out", str(one), "--db", db, "--as-of",
                                 AS_OF.isoformat()])
    assert result.exit_code == 0 and one.is_file() and "已生成督办通知单" in result.output
    assert set(_ids(one)) == set(_ids(files[0]))
    bad = runner.invoke(app, ["notice", "--unit", "火星办", "--out", str(one), "--db", db])
    assert bad.exit_code == 2 and "未知的责任单位" in bad.output and "Traceback" not in bad.output
    both = runner.invoke(app, ["notice", "--out", str(one), "--db", db])
    assert both.exit_code == 2 and "二者选一" in both.output
    missing = runner.invoke(app, ["notice", "--unit", unit, "--out", str(one), "--db", str(tmp_path / "no.db")])
    assert missing.exit_code == 2 and "数据库不存在" in missing.output
    assert not (tmp_path / "no.db").exists()


def test_numbers_and_dates_read_as_official_documents_write_them():
    from pipeline.notice.wording import chinese_date, chinese_number

    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 100, 101, 110)] == \
        ["一", "十", "十一", "二十", "二十一", "一百", "一百零一", "一百一十"]
    assert chinese_date("2025-06-30") == "2025年6月30日" and chinese_date(dt.date(2026, 1, 5)) == "2026年1月5日"
