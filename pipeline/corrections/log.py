"""Recording what a person decided about a directive, and handing it out as labelled data.

Every correction appends a row to ``corrections`` and updates the directive's
row in ``corrections_current`` in the same transaction. Nothing here touches
the machine's tables, so re-extraction and re-tracking cannot undo a decision;
the hashes find the directive again after its row id changed. A correction
carried to a re-cut sentence or to the next version of the document
(``carry.py``) shows its history, and is handed out, with the entries made on
the sentence it came from.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from .carry import Carry, lineage
from .units import set_units

FIELDS = ("verdict", "parties", "sectors", "deadline", "status")
VERDICTS = ("confirmed", "rejected")
STATUSES = ("done", "in_progress", "mentioned", "no_evidence", "overdue")
DEADLINE_KINDS = ("date", "immediate", "recurring", "period", "vague")


class CorrectionError(ValueError):
    """A correction that cannot be stored (message in Chinese, shown to the person)."""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _directive_keys(db, directive_id: int) -> dict[str, Any]:
    row = db.execute(
        'SELECT d.text, d.text_sha256, doc.text_sha256, doc.source, d.sectors, d.parties, d.deadline_text, '
        'd.deadline_kind, d.deadline_date FROM directives d JOIN documents doc ON doc.id = d.doc_id WHERE d.id = ?',
        [directive_id]).fetchone()
    if not row:
        raise CorrectionError("找不到这条督办事项（可能已重新提取，请刷新页面）")
    deadline = {"text": row[6], "kind": row[7], "date": row[8]} if row[6] or row[7] else None
    return {"text": row[0], "text_sha256": row[1], "doc_sha256": row[2], "source": row[3],
            "machine": {"sectors": json.loads(row[4] or "[]"), "parties": json.loads(row[5] or "[]"),
                        "deadline": deadline}}


def clean_list(values: Any) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace("，", "、").replace(",", "、").replace(";", "、").replace("；", "、").split("、")
    out: list[str] = []
    for v in values:
        v = str(v).strip()
        if v and v not in out:
            out.append(v[:100])
    return out


def clean_deadline(value: Any) -> dict | None:
    """{} or None-like → "no deadline"; else text/kind/date checked."""
    if not value:
        return {}
    text = str(value.get("text") or "").strip()[:100]
    kind = (value.get("kind") or "").strip() or None
    date = (value.get("date") or "").strip() or None
    if kind and kind not in DEADLINE_KINDS:
        raise CorrectionError(f"时限类型只能是：{'、'.join(DEADLINE_KINDS)}")
    if date:
        try:
            date = dt.date.fromisoformat(date).isoformat()
        except ValueError as exc:
            raise CorrectionError("完成时限日期的格式应为 YYYY-MM-DD") from exc
        kind = kind or "date"
    if not text and not kind and not date:
        return {}
    return {"text": text or date or "", "kind": kind, "date": date}


def record(db, directive_id: int, field: str, value: Any, author: str, comment: str = "") -> None:
    """Store one correction of ``field``; ``value`` None takes the field back to the machine's.

    verdict: 'confirmed' | 'rejected'; parties / sectors: list (or a 、-separated string);
    deadline: {text, kind, date} ({} for "no deadline"); status: one of STATUSES.
    """
    if field not in FIELDS:
        raise CorrectionError(f"不能更正的字段：{field}")
    author = (author or "").strip()[:50]
    if not author:
        raise CorrectionError("请先登录：更正记录需要注明更正人")
    comment = (comment or "").strip()[:2000]
    if value is not None:
        if field == "verdict" and value not in VERDICTS:
            raise CorrectionError("核实结论只能是“确认”或“否决”")
        if field == "status" and value not in STATUSES:
            raise CorrectionError("落实状态不在可选范围内")
        if field == "status" and not comment:
            raise CorrectionError("人工设定落实状态时请填写依据或说明")
        if field in ("parties", "sectors"):
            value = clean_list(value)
        if field == "deadline":
            value = clean_deadline(value)
    keys = _directive_keys(db, directive_id)
    machine = keys["machine"].get(field)
    stored = None if value is None else (value if field in ("verdict", "status") else json.dumps(value, ensure_ascii=False))
    now = _now()
    with db.conn:
        db.conn.execute(
            "INSERT INTO corrections (doc_sha256, text_sha256, field, value, machine_value, text, source, author, "
            "comment, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [keys["doc_sha256"], keys["text_sha256"], field, stored,
             json.dumps(machine, ensure_ascii=False) if machine is not None else None,
             keys["text"], keys["source"], author, comment or None, now])
        db.conn.execute(
            "INSERT INTO corrections_current (doc_sha256, text_sha256, updated_by, updated_at) VALUES (?,?,?,?) "
            "ON CONFLICT (doc_sha256, text_sha256) DO UPDATE SET updated_by = excluded.updated_by, "
            "updated_at = excluded.updated_at",
            [keys["doc_sha256"], keys["text_sha256"], author, now])
        db.conn.execute(
            f"UPDATE corrections_current SET {field} = ? WHERE doc_sha256 = ? AND text_sha256 = ?",
            [stored, keys["doc_sha256"], keys["text_sha256"]])
        if field == "status":
            db.conn.execute(
                "UPDATE corrections_current SET status_comment = ? WHERE doc_sha256 = ? AND text_sha256 = ?",
                [comment if value is not None else None, keys["doc_sha256"], keys["text_sha256"]])
        if field == "parties":
            set_units(db, keys["doc_sha256"], keys["text_sha256"])


def _chain(db, doc_sha256: str, text_sha256: str) -> list[tuple[str, str, Carry | None]]:
    """The key, then each key its correction was carried from; each with the carry that brought
    the rows of that key here (None for the key itself)."""
    out: list[tuple[str, str, Carry | None]] = []
    brought_by: Carry | None = None
    for doc_sha, text_sha, carry in lineage(db, doc_sha256, text_sha256):
        out.append((doc_sha, text_sha, brought_by))
        brought_by = carry
    return out


def history(db, doc_sha256: str, text_sha256: str) -> list[dict[str, Any]]:
    """Every correction of one directive, newest first: who, when, what, why.

    Entries made on the sentence its correction was carried from come after
    its own, each with ``carried`` saying from where (the page shows it).
    """
    out: list[dict[str, Any]] = []
    for doc_sha, text_sha, brought_by in _chain(db, doc_sha256, text_sha256):
        rows = db.execute(
            "SELECT field, value, machine_value, author, comment, created_at FROM corrections "
            "WHERE doc_sha256 = ? AND text_sha256 = ? ORDER BY id DESC", [doc_sha, text_sha]).fetchall()
        out += [{"field": r[0], "value": r[1], "display": display(r[0], _decode(r[0], r[1])),
                 "machine_value": r[2], "author": r[3], "comment": r[4], "at": r[5],
                 "carried": brought_by.note if brought_by else None,
                 "left_out": brought_by is not None and r[0] in brought_by.left_out} for r in rows]
    return out


def display(field: str, value: Any) -> str:
    """A corrected value as people read it (责任单位 as 、-joined, a deadline as its wording and date)."""
    if value is None:
        return "恢复程序结果"
    if field == "verdict":
        return "确认" if value == "confirmed" else "否决"
    if field == "status":
        from ..search.records import STATUS_LABELS

        return STATUS_LABELS.get(value, value)
    if field == "deadline":
        if not value:
            return "无时限"
        date = value.get("date")
        return (value.get("text") or "") + (f"（{date}）" if date and date != value.get("text") else "")
    return "、".join(value) if value else "（空）"


def _decode(field: str, value: str | None) -> Any:
    if value is None or field in ("verdict", "status"):
        return value
    return json.loads(value)


def labelled_data(db) -> Iterator[dict[str, Any]]:
    """One record per corrected directive: the sentence, the person's labels, the machine's, the history.

    It reads the log, not the directives table, so a sentence that a newer
    extractor no longer finds is still a training example (a missed positive
    or a confirmed negative). A sentence corrected after a correction was
    carried to it starts from the labels carried (``carried_from`` names
    their key); a carry alone adds no record, the labels being the old key's.
    """
    keys = db.execute(
        "SELECT doc_sha256, text_sha256, max(id) FROM corrections GROUP BY doc_sha256, text_sha256 ORDER BY min(id)"
    ).fetchall()
    for doc_sha, text_sha, _ in keys:
        chain = _chain(db, doc_sha, text_sha)
        rows = _chain_rows(db, chain)
        labels: dict[str, Any] = {}
        machine: dict[str, Any] = {}
        for field, value, *_ in rows:
            if value is None:
                labels.pop(field, None)
            else:
                labels[field] = _decode(field, value)
        for field, _, machine_value, *_ in sorted(rows, key=lambda r: r[-1]):   # this sentence's own first
            if field not in machine and machine_value is not None:
                machine[field] = json.loads(machine_value)
        doc = db.execute("SELECT title, date, kind FROM documents WHERE text_sha256 = ? ORDER BY id LIMIT 1",
                         [doc_sha]).fetchone()
        label: dict[str, Any] = {}
        if "verdict" in labels:
            label["is_directive"] = labels["verdict"] == "confirmed"
        for field in ("parties", "sectors", "deadline", "status"):
            if field in labels:
                label[field] = labels[field] or (None if field == "deadline" else labels[field])
        if label.get("deadline") == {}:
            label["deadline"] = None
        origin = chain[1] if len(chain) > 1 else None
        yield {
            "doc_sha256": doc_sha, "text_sha256": text_sha, "source": rows[-1][7], "text": rows[-1][6],
            **({"carried_from": {"doc_sha256": origin[0], "text_sha256": origin[1], "match": origin[2].how}}
               if origin else {}),
            "document": {"title": doc[0], "date": doc[1], "kind": doc[2]} if doc else None,
            "label": label, "machine": machine,
            "history": [{"field": r[0], "value": _decode(r[0], r[1]), "author": r[3], "comment": r[4], "at": r[5]}
                        | ({"carried": True} if r[-1] else {}) for r in rows],
        }


def _chain_rows(db, chain: list[tuple[str, str, Carry | None]]) -> list[tuple]:
    """The log rows of a key and of the keys it was carried from, oldest first, each ending with
    whether it was carried; a field a carry left out does not come along."""
    out: list[tuple] = []
    for key_doc, key_text, brought_by in reversed(chain):
        for r in db.execute(
                "SELECT field, value, machine_value, author, comment, created_at, text, source FROM corrections "
                "WHERE doc_sha256 = ? AND text_sha256 = ? ORDER BY id", [key_doc, key_text]).fetchall():
            if brought_by is None or r[0] not in brought_by.left_out:
                out.append((*r, brought_by is not None))
    return out
