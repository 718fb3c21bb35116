"""督办周报: build_digest's sections against the store, the renderers (escaping), the DOCX and the command.

The demo corpus is ingested in two halves with a moment in between, so "since"
splits the store the way a week does: the second half's documents are new, the
first half's are not.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corrections import log as corrections
from pipeline.digest import (Digest, DigestItem, Section, build_digest, digest_counts, render_html, render_markdown,
                             write_docx)
from pipeline.digest.build import store_time
from pipeline.digest.model import SECTIONS
from pipeline.digest.since import parse_since
from pipeline.store import open_db

from .conftest import DEMO

AS_OF = dt.date(2025, 12, 31)
runner = CliRunner()


@pytest.fixture(scope="module")
def split_store(tmp_path_factory):
    """(store path, the moment between the halves, the files of the second half)."""
    from pipeline.ingest.pipeline import ingest_paths
    from pipeline.track.tracker import track_store

    files = sorted(p for p in DEMO.iterdir() if p.suffix in (".txt", ".html", ".docx", ".pdf"))
    first, second = files[: len(files) // 2], files[len(files) // 2:]
    path = tmp_path_factory.mktemp("digest") / "duban.db"
    db = open_db(path)
    ingest_paths(db, first)
    track_store(db, as_of=AS_OF)
    time.sleep(1.1)                   # the store keeps times to the second
    since = dt.datetime.now()
    time.sleep(1.1)
    ingest_paths(db, second)
    track_store(db, as_of=AS_OF)
    return path, since, second


@pytest.fixture
def store_copy(split_store, tmp_path):
    target = tmp_path / "copy.db"
    src, dst = sqlite3.connect(split_store[0]), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return open_db(target)


def _ids(d: Digest, key: str) -> set[int]:
    return {i.id for i in d.section(key).items}


def test_new_directives_are_those_of_documents_stored_since(split_store):
    path, since, second = split_store
    db = open_db(path)
    d = build_digest(db, since, as_of=AS_OF)
    rows = db.execute(
        "SELECT d.id, doc.source FROM directives d JOIN documents doc ON doc.id = d.doc_id "
        "WHERE doc.ingested_at >= ? AND doc.duplicate_of IS NULL AND d.safety = 1",
        [store_time(since)]).fetchall()
    assert rows and _ids(d, "new") == {r[0] for r in rows}
    assert {Path(r[1]).name for r in rows} <= {p.name for p in second}
    assert digest_counts(d)["new_directives"] == len(rows)
    # Nothing stored before the moment is new.
    first = db.execute("SELECT d.id FROM directives d JOIN documents doc ON doc.id = d.doc_id "
                       "WHERE doc.ingested_at < ?", [store_time(since)]).fetchall()
    assert first and not (_ids(d, "new") & {r[0] for r in first})


def test_new_evidence_is_evidence_from_documents_stored_since(split_store):
    path, since, _ = split_store
    db = open_db(path)
    d = build_digest(db, since, as_of=AS_OF)
    rows = db.execute(
        "SELECT e.directive_id, e.status FROM evidence e JOIN documents ed ON ed.id = e.doc_id "
        "JOIN directives x ON x.id = e.directive_id JOIN documents xd ON xd.id = x.doc_id "
        "WHERE ed.ingested_at >= ? AND ed.duplicate_of IS NULL AND xd.duplicate_of IS NULL AND x.safety = 1 "
        "AND e.status IN ('done', 'in_progress') AND COALESCE(ed.date, ed.published) <= ?",
        [store_time(since), AS_OF.isoformat()]).fetchall()
    expected = {r[0] for r in rows}
    assert expected and _ids(d, "evidence") == expected
    counts = digest_counts(d)
    assert counts["new_evidence"] == len(expected)
    done = {r[0] for r in rows if r[1] == "done"}
    assert counts["new_evidence_done"] == len(done)
    assert counts["new_evidence_done"] + counts["new_evidence_in_progress"] == counts["new_evidence"]
    # Every item quotes a new report.
    assert all(any(n.startswith("新报告：“") for n in i.notes) for i in d.section("evidence").items)


def test_became_overdue_compares_the_two_days(split_store):
    """Overdue as of AS_OF and not as of the day "since" falls on, by the tracker's own statuses."""
    from pipeline.track.tracker import statuses

    path, _, _ = split_store
    db = open_db(path)
    start = dt.datetime(2025, 6, 1)
    d = build_digest(db, start, as_of=AS_OF)
    current = {r[0] for r in db.execute("SELECT d.id FROM directives d JOIN documents doc ON doc.id = d.doc_id "
                                        "WHERE doc.duplicate_of IS NULL AND d.safety = 1").fetchall()}
    now, then = statuses(db, AS_OF), statuses(db, start.date())
    expected = {i for i in current if i in now and now[i].status == "overdue" and then[i].status != "overdue"}
    assert expected and _ids(d, "overdue") == expected
    assert digest_counts(d)["became_overdue"] == len(expected)
    # A window that ends before it starts has no new overdue items, and says why.
    late = build_digest(db, dt.datetime(2026, 1, 5), as_of=AS_OF)
    assert not late.section("overdue").items and any("不统计新近逾期" in n for n in late.notes)


def test_corrections_since_are_listed_with_what_changed(store_copy):
    db = store_copy
    before = dt.datetime.now() - dt.timedelta(seconds=2)
    ids = [r[0] for r in db.execute("SELECT d.id FROM directives d JOIN documents doc ON doc.id = d.doc_id "
                                    "WHERE doc.duplicate_of IS NULL AND d.safety = 1 ORDER BY d.id LIMIT 2")]
    corrections.record(db, ids[0], "parties", ["区消防救援大队"], "王五", "应由消防救援大队负责")
    corrections.record(db, ids[1], "verdict", "rejected", "王五", "只是号召")
    d = build_digest(db, before, as_of=AS_OF)
    assert _ids(d, "corrected") == set(ids)
    by_id = {i.id: i for i in d.section("corrected").items}
    assert any("责任单位改为“区消防救援大队”" in n and "王五" in n for n in by_id[ids[0]].notes)
    assert by_id[ids[0]].units == ["消防救援机构"]            # the corrected unit, not the machine's
    assert any("否决" in n for n in by_id[ids[1]].notes)
    assert ids[1] not in _ids(d, "new") | _ids(d, "evidence") | _ids(d, "overdue")
    assert "消防救援机构" in d.section("corrected").by_unit()
    later = build_digest(db, dt.datetime.now() + dt.timedelta(seconds=2), as_of=AS_OF)
    assert not later.section("corrected").items
    assert digest_counts(d)["corrected"] == 2


def test_grouping_per_unit_and_sector_covers_every_item(split_store):
    path, since, _ = split_store
    d = build_digest(open_db(path), since, as_of=AS_OF)
    assert [s.key for s in d.sections] == [k for k, _ in SECTIONS]
    for section in d.sections:
        for groups in (section.by_unit(), section.by_sector()):
            assert {i.id for items in groups.values() for i in items} == {i.id for i in section.items}
        for unit, items in section.by_unit().items():
            assert all(unit in i.units or (not i.units and unit == "未明确责任单位") for i in items)
    counts = digest_counts(d)
    assert counts["units"] == len({u for s in d.sections for i in s.items for u in i.units})


def test_markdown_and_html_link_every_item(split_store):
    path, since, _ = split_store
    d = build_digest(open_db(path), since, as_of=AS_OF, base_url="http://duban.example:8080/")
    md, page = render_markdown(d), render_html(d)
    for section in d.sections:
        for item in section.items:
            assert f"(http://duban.example:8080/directive/{item.id})" in md
            assert f'href="http://duban.example:8080/directive/{item.id}"' in page
    counts = digest_counts(d)
    assert f"新增安全生产督办事项：{counts['new_directives']} 项" in md
    assert f"新增安全生产督办事项：{counts['new_directives']} 项" in page


def _hostile() -> Digest:
    item = DigestItem(id=7, text='<script>alert(1)</script>[点我](javascript:alert(1)) | *粗*', url="",
                      units=['<b onmouseover="x">住建部门</b>'], sectors=["燃气"], status="overdue",
                      status_label="已逾期", deadline="2025年6月30日", source="《<i>标题</i>》",
                      notes=["“<img src=x onerror=alert(1)>”"])
    return Digest(since=dt.datetime(2025, 1, 1), as_of=AS_OF, base_url="javascript:alert(1)",
                  generated_at=dt.datetime(2025, 1, 2), sections=[Section(k, t, [item] if k == "new" else [])
                                                                  for k, t in SECTIONS])


def test_html_escapes_everything_and_links_only_http():
    d = _hostile()
    d.section("new").items[0].url = "javascript:alert(1)/directive/7"
    page = render_html(d)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<img" not in page and "<b " not in page and "<i>" not in page
    assert "href=" not in page          # a base URL that is not http(s) is never linked
    assert "&lt;b onmouseover=&quot;x&quot;&gt;住建部门&lt;/b&gt;" in page


def test_markdown_escapes_links_html_and_tables():
    d = _hostile()
    d.section("new").items[0].url = "javascript:alert(1)/directive/7"
    md = render_markdown(d)
    assert "<script>" not in md and "\\<script\\>" in md
    assert "](javascript" not in md and "\\[点我\\]\\(javascript" in md
    assert "\\|" in md and "\\*粗\\*" in md


def test_docx_digest(split_store, tmp_path):
    path, since, _ = split_store
    d = build_digest(open_db(path), since, as_of=AS_OF)
    out = write_docx(d, tmp_path / "周报.docx")
    doc = Document(out)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "安全生产督办周报"
    links = {r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")}
    assert {f"http://127.0.0.1:8000/directive/{i.id}" for s in d.sections for i in s.items} == links
    section = doc.sections[0]
    assert abs(section.page_width.mm - 210) < 0.1 and abs(section.top_margin.mm - 37) < 0.1


def test_parse_since():
    now = dt.datetime(2026, 12, 5, 12, 0)
    assert parse_since("7d", now) == now - dt.timedelta(days=7)
    assert parse_since("24h", now) == now - dt.timedelta(hours=24)
    assert parse_since("2w", now) == now - dt.timedelta(weeks=2)
    assert parse_since("3天", now) == now - dt.timedelta(days=3)
    assert parse_since("2026-11-28", now) == dt.datetime(2026, 11, 28)
    with pytest.raises(ValueError, match="--since"):
        parse_since("上周", now)


def test_digest_command(split_store, tmp_path):
    path, since, _ = split_store
    db = str(path)
    start = since.isoformat(sep=" ", timespec="seconds")
    shown = runner.invoke(app, ["digest", "--since", start, "--as-of", AS_OF.isoformat(), "--db", db])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("# 安全生产督办周报")
    counts = digest_counts(build_digest(open_db(path), dt.datetime.fromisoformat(start), as_of=AS_OF))
    assert f"新增安全生产督办事项：{counts['new_directives']} 项" in shown.output
    page = tmp_path / "周报.html"
    result = runner.invoke(app, ["digest", "--since", start, "--format", "html", "--out", str(page), "--db", db,
                                 "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0 and page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"新增 {counts['new_directives']} 项" in result.output
    word = tmp_path / "周报.docx"
    result = runner.invoke(app, ["digest", "--format", "docx", "--out", str(word), "--db", db])
    assert result.exit_code == 0 and Document(word).paragraphs[0].text == "安全生产督办周报"
    for args, message in ((["--format", "pdf"], "--format"), (["--format", "docx"], "--out"),
                          (["--since", "上周"], "--since")):
        bad = runner.invoke(app, ["digest", *args, "--db", db])
        assert bad.exit_code == 2 and message in bad.output and "Traceback" not in bad.output
