"""The staff page: search, a directive in context, corrections, and the sheet for the current view.

Server-rendered Flask with Jinja templates and one stylesheet; no script and
no build step. A directive's address is its stable key (document text hash +
sentence hash), not its row id, so a bookmark survives re-extraction, and so
does every correction made on the page. The list is paged (``?page=N``, the
filters kept in every pager link); the sheet exports every match of the view,
never just the page shown. Reading needs no account; changing data needs a
signed-in user (``auth.py``), whose name every correction is recorded under.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, g, redirect, render_template, request, send_file, session, url_for
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from ..parse.textnorm import readable
from ..search import records
from ..corrections import log as corrections
from ..corrections.carry import carry_of
from ..search.engine import CAP, FilterError, Filters, count_documents, search, search_documents
from ..search.highlight import to_html
from ..search.query import QuerySyntaxError
from . import users
from .auth import current_user, require_user, sign_in, sign_out
from .charts import STATUS_CSS, overview_charts
from .context import Mark, neighbours, render_body
from .paging import PAGE_SIZE, Pager, parse_page, reachable
from .security import IdConverter, add_headers, check_csrf, check_origin, csrf_token, safe_next, safe_url

FILTER_ARGS = ("q", "sector", "party", "place", "status", "from", "to", "due_after", "due_before", "kind",
               "rejected", "all", "scope")
# The list's query parameter of each Filters field the overview links by (its bars lead to the list).
OVERVIEW_ARGS = {"party": "party", "sector": "sector", "due_after": "due_after", "due_before": "due_before"}
# What an error page says when the code that raised it gave no message of its own (Werkzeug's are English).
ERROR_MESSAGES = {
    400: "请求有误，无法处理。",
    401: "请先登录。",
    403: "没有权限执行这个操作。",
    404: "找不到这个页面：地址可能有误，或内容已被删除。",
    405: "这个地址不支持这种请求方式。",
    413: "提交的内容太大。",
    429: "请求过于频繁，请稍后再试。",
    500: "服务器内部出错，请稍后再试；如果一再出现，请告知管理员。",
}


def _sector_order() -> list[str]:
    try:
        from ..resources import load_toml

        return list(load_toml("sectors.toml").get("order") or [])
    except (OSError, ValueError):
        return []


def create_app(db_path: str, secret_key: bytes | str | None = None, as_of: dt.date | None = None,
               page_size: int = PAGE_SIZE) -> Flask:
    """The site over the store at ``db_path``; ``as_of`` fixes "today" for statuses (tests)."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or os.environ.get("DUBAN_SECRET_KEY") or os.urandom(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        DUBAN_DB=db_path,
        DUBAN_AS_OF=as_of,
        DUBAN_PAGE_SIZE=page_size,
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    app.url_map.converters["id"] = IdConverter
    app.extensions["duban_throttle"] = users.Throttle()
    app.jinja_env.autoescape = True
    app.jinja_env.filters["readable"] = readable_html
    app.jinja_env.globals.update(csrf_token=csrf_token, current_user=current_user,
                                 STATUS_LABELS=records.STATUS_LABELS, STATUS_CSS=STATUS_CSS, VIA_LABELS=records.VIA_LABELS,
                                 KIND_LABELS=records.KIND_LABELS, DEADLINE_KIND_LABELS=records.DEADLINE_KIND_LABELS,
                                 safe_url=safe_url, directive_url=directive_url)
    app.before_request(check_origin)          # a foreign page: 403
    app.before_request(check_csrf)            # no or a stale token: 400
    app.before_request(require_user)          # signed out: to the sign-in page
    app.after_request(add_headers)

    @app.teardown_appcontext
    def _close(_exc) -> None:
        db = g.pop("db", None)
        if db is not None:
            db.conn.close()

    _routes(app)
    return app


def readable_html(value):
    """The ``readable`` filter: a title, sentence or snippet without its pinyin glosses. A snippet or body
    already marked up (``Markup`` with <mark> or links) stays markup: a gloss is letters in brackets, which
    no tag or escape contains, so removing it leaves the markup whole."""
    if isinstance(value, Markup):
        return Markup(readable(str(value)))
    return readable(value) if isinstance(value, str) else value


def get_db():
    if "db" not in g:
        from ..store import open_db

        g.db = open_db(_config("DUBAN_DB"))
    return g.db


def _config(key: str) -> Any:
    from flask import current_app

    return current_app.config[key]


def _as_of() -> dt.date:
    return _config("DUBAN_AS_OF") or dt.date.today()


def directive_url(rec) -> str:
    return url_for("directive", doc_sha=rec.doc_sha256, text_sha=rec.text_sha256)


def _filters_from_args(args) -> Filters:
    return Filters(sector=args.get("sector"), party=args.get("party"), place=args.get("place"),
                   status=args.get("status"), date_from=args.get("from"), date_to=args.get("to"),
                   due_before=args.get("due_before"), due_after=args.get("due_after"), kind=args.get("kind"),
                   include_rejected=args.get("rejected") == "1", all_topics=args.get("all") == "1")


def _current_args(args) -> dict[str, str]:
    return {k: args.get(k) for k in FILTER_ARGS if args.get(k)}


def _page_url(current: dict[str, str], page: int) -> str:
    """The list page ``page`` of the same view: every filter and the query kept, values URL-encoded."""
    return url_for("index", **current, page=page)


def _find(db, doc_sha: str, text_sha: str) -> int | None:
    """The current row id of the directive with these hashes (after any re-extraction)."""
    row = db.execute(
        "SELECT d.id FROM documents doc JOIN directives d ON d.doc_id = doc.id "
        "WHERE doc.text_sha256 = ? AND doc.duplicate_of IS NULL AND d.text_sha256 = ? ORDER BY d.start LIMIT 1",
        [doc_sha, text_sha]).fetchone()
    return row[0] if row else None


def _moved(db, doc_sha: str, text_sha: str) -> tuple[str, str] | None:
    """Where a directive's address leads now that its key is gone: the key its correction was carried
    to, else the same sentence in the version that superseded its document (a bookmark of an old version)."""
    key = (doc_sha, text_sha)
    for _ in range(20):            # a chain of carries, each to a newer cut or version
        row = db.execute("SELECT doc_sha256, text_sha256 FROM correction_carries WHERE from_doc_sha256 = ? "
                         "AND from_text_sha256 = ? ORDER BY created_at DESC LIMIT 1", list(key)).fetchone()
        if row is None:
            break
        key = (row[0], row[1])
        if _find(db, *key) is not None:
            return key
    newest = db.execute(
        "WITH RECURSIVE chain(id, next) AS (SELECT id, duplicate_of FROM documents WHERE text_sha256 = ? "
        "UNION SELECT d.id, d.duplicate_of FROM documents d JOIN chain c ON d.id = c.next) "
        "SELECT doc.text_sha256 FROM chain JOIN documents doc ON doc.id = chain.id "
        "WHERE chain.next IS NULL AND doc.text_sha256 != ? LIMIT 1", [doc_sha, doc_sha]).fetchone()
    if newest and _find(db, newest[0], text_sha) is not None:
        return newest[0], text_sha
    return None


def _routes(app: Flask) -> None:
    @app.get("/")
    def index():
        args = request.args
        current = _current_args(args)
        scope = args.get("scope") or "directives"
        size = _config("DUBAN_PAGE_SIZE")
        page = parse_page(args.get("page"), size)
        error = None
        result = None
        doc_hits: list = []
        terms: list[str] = []
        pager = Pager(page, size, 0)
        try:
            filters = _filters_from_args(args)
            query = args.get("q", "")
            if scope == "documents":
                doc_hits, terms = search_documents(get_db(), query, filters, limit=size, offset=pager.offset)
                total, more = count_documents(get_db(), query, filters, refresh=False)
                pager = Pager(page, size, total, more)
            else:
                result = search(get_db(), query, filters, limit=size, offset=pager.offset, as_of=_as_of(),
                                count=True)
                terms = result.terms
                pager = Pager(page, size, reachable(result.total, result.capped), result.more)
        except (QuerySyntaxError, FilterError) as exc:
            error = str(exc)
        if error is None and pager.beyond_end:
            return redirect(_page_url(current, pager.pages))
        hits = []
        for rec in (result.hits if result else []):
            hits.append({"rec": rec, "text": to_html(rec.text, terms),
                         "heading": to_html(" › ".join(rec.heading_path[-2:]), terms) if rec.heading_path else ""})
        docs = [{"hit": h, "snippet": to_html(h.snippet.replace("\n", " "), terms)} for h in doc_hits]
        query_string = urlencode(current)        # the export takes the view without its page: every match
        return render_template("search.html", args=args, current=current, error=error, result=result, hits=hits,
                               docs=docs, scope=scope, sectors=_sector_order(), query_string=query_string,
                               pager=pager, page_url=lambda n: _page_url(current, n), cap=CAP)

    @app.get("/overview")
    def overview():
        """Counts by status × unit, sector and deadline month, and the overdue trend: each bar a link to the list.

        Same switch as the list (``all=1`` adds the tasks that are not work safety);
        the numbers are read as the list reads them (``search/overview.py``).
        """
        from ..search.overview import STATUS_ORDER, build

        all_topics = request.args.get("all") == "1"
        data = build(get_db(), as_of=_as_of(), all_topics=all_topics)
        extra = {"all": "1"} if all_topics else {}

        def link(filters: dict[str, str], status: str | None) -> str:
            args = {OVERVIEW_ARGS[k]: v for k, v in filters.items()} | ({"status": status} if status else {})
            return url_for("index", **args, **extra)

        return render_template("overview.html", ov=data, charts=overview_charts(data, link), statuses=STATUS_ORDER,
                               all_topics=all_topics, export_query=urlencode(extra), list_url=url_for("index", **extra))

    @app.get("/export.<fmt>")
    def export_sheet(fmt: str):
        from ..export.writers import export

        if fmt not in ("xlsx", "csv"):
            abort(404)
        try:
            filters = _filters_from_args(request.args)
            buf = io.BytesIO()
            export(get_db(), buf, fmt, request.args.get("q", ""), filters, as_of=_as_of())
        except (QuerySyntaxError, FilterError) as exc:
            abort(400, description=str(exc))
        buf.seek(0)
        name = f"督办台账-{_as_of().isoformat()}.{fmt}"
        mime = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                else "text/csv; charset=utf-8")
        return send_file(buf, mimetype=mime, as_attachment=True, download_name=name)

    @app.get("/directive/<id:directive_id>")
    def directive_by_id(directive_id: int):
        recs = records.load(get_db(), [directive_id], with_status=False)
        if not recs:
            abort(404, description="找不到这条督办事项，它可能已被重新提取。请重新检索。")
        return redirect(directive_url(recs[0]))

    @app.get("/d/<doc_sha>/<text_sha>")
    def directive(doc_sha: str, text_sha: str):
        db = get_db()
        directive_id = _find(db, doc_sha, text_sha)
        if directive_id is None:
            moved = _moved(db, doc_sha, text_sha)
            if moved:
                return redirect(url_for("directive", doc_sha=moved[0], text_sha=moved[1]))
            abort(404, description="找不到这条督办事项：文档可能已删除，或重新提取后不再识别为督办事项。")
        rec = records.load(db, [directive_id], as_of=_as_of())[0]
        context = neighbours(db, rec.doc_id, rec.start, rec.end)
        evidence = []
        for e in rec.evidence:
            link = None
            if e.get("doc_id") is not None:
                link = url_for("document", doc_id=e["doc_id"], hl=f"{e.get('start', 0)}-{e.get('end', 0)}",
                               _anchor="hl")
            evidence.append({"e": e, "link": link, "external": safe_url(e.get("source"))})
        return render_template(
            "directive.html", rec=rec, context=context, evidence=evidence, sectors=_sector_order(),
            history=corrections.history(db, rec.doc_sha256, rec.text_sha256),
            carry=carry_of(db, rec.doc_sha256, rec.text_sha256),
            message=session.pop("message", None), error=session.pop("error", None),
            doc_link=url_for("document", doc_id=rec.doc_id, _anchor=f"d{rec.id}"),
            source_link=safe_url(rec.source))

    @app.post("/d/<doc_sha>/<text_sha>")
    def correct(doc_sha: str, text_sha: str):
        db = get_db()
        directive_id = _find(db, doc_sha, text_sha)
        if directive_id is None:
            abort(404, description="找不到这条督办事项，无法保存更正。")
        user = current_user()
        if user is None:              # require_user sends the signed-out away before this; never record "nobody"
            abort(401)
        form = request.form
        author = user.name            # a name typed into the form (an old page's 更正人 box) is not evidence
        action = form.get("action", "")
        comment = form.get("comment", "")
        try:
            saved = _apply(db, directive_id, action, form, author, comment)
            session["message"] = saved
        except corrections.CorrectionError as exc:
            session["error"] = str(exc)
        return redirect(url_for("directive", doc_sha=doc_sha, text_sha=text_sha), code=303)

    @app.get("/document/<id:doc_id>")
    def document(doc_id: int):
        db = get_db()
        row = db.execute("SELECT id, title, date, published, place, level, speaker, speaker_role, meeting, kind, "
                         "source, body, partial, duplicate_of FROM documents WHERE id = ?", [doc_id]).fetchone()
        if not row:
            abort(404, description="找不到这篇文档。")
        keys = ["id", "title", "date", "published", "place", "level", "speaker", "speaker_role", "meeting", "kind",
                "source", "body", "partial", "duplicate_of"]
        doc = dict(zip(keys, row))
        newer = db.execute("SELECT source FROM documents WHERE id = ? AND id > ?",
                           [doc["duplicate_of"], doc_id]).fetchone() if doc["duplicate_of"] else None
        doc["superseded"] = bool(newer) and newer[0] == doc["source"]     # an older version, not a re-post
        ids = [r[0] for r in db.execute("SELECT id FROM directives WHERE doc_id = ? ORDER BY start", [doc_id])]
        recs = records.load(db, ids, with_status=False)
        marks = [Mark(r.start, r.end, "directive" + (" rejected" if r.verdict == "rejected" else ""),
                      href=directive_url(r), anchor=f"d{r.id}", title="督办事项：点击查看") for r in recs]
        hl = request.args.get("hl", "")
        if "-" in hl:
            try:
                s, e = (int(x) for x in hl.split("-", 1))
                marks = [m for m in marks if m.end <= s or m.start >= e]
                marks.append(Mark(s, e, "evidence", anchor="hl", title="后续落实情况"))
            except ValueError:
                pass
        return render_template("document.html", doc=doc, body=render_body(doc["body"] or "", marks),
                               count=len(recs), source_link=safe_url(doc["source"]))

    @app.route("/login", methods=["GET", "POST"])
    def login():
        target = safe_next(request.values.get("next"))
        if request.method == "GET":
            return render_template("login.html", next=target, error=None, name="",
                                   message=session.pop("login_message", None),
                                   no_users=users.count_users(get_db()) == 0)
        throttle: users.Throttle = app.extensions["duban_throttle"]
        client = request.remote_addr or "?"
        name = request.form.get("name", "")
        wait = throttle.wait(client)
        if wait:
            return render_template("login.html", next=target, name=name, message=None, no_users=False,
                                   error=f"登录失败次数过多，请 {(wait + 59) // 60} 分钟后再试。"), 429
        user = users.authenticate(get_db(), name, request.form.get("password", ""))
        if user is None:
            throttle.fail(client)
            return render_template("login.html", next=target, name=name, message=None,
                                   no_users=users.count_users(get_db()) == 0, error="用户名或密码不正确。"), 401
        throttle.clear(client)
        sign_in(user)
        return redirect(target, code=303)

    @app.post("/logout")
    def logout():
        sign_out()
        return redirect(url_for("index"), code=303)

    @app.errorhandler(HTTPException)
    def _error(exc):
        code = exc.code or 500
        message = exc.description
        if not message or message == type(exc).description:       # Werkzeug's own English text
            message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500 if code >= 500 else 400])
        response = app.make_response((render_template("error.html", code=code, message=message), code))
        for key, value in exc.get_headers():          # e.g. 405's Allow; our page sets its own type
            if key.lower() != "content-type":
                response.headers[key] = value
        return response

    @app.errorhandler(OverflowError)
    def _overflow(_exc):
        # A number from the address too large for SQLite, somewhere no converter checked it first.
        return render_template("error.html", code=400, message="请求中的数字太大，无法处理。"), 400

    @app.errorhandler(sqlite3.OperationalError)
    def _db_error(exc):
        return render_template("error.html", code=503, message=f"数据库暂时不可用：{exc}"), 503


def _apply(db, directive_id: int, action: str, form, author: str, comment: str) -> str:
    """Carry out one correction form; returns the message shown after it."""
    if action in ("confirm", "reject"):
        corrections.record(db, directive_id, "verdict", "confirmed" if action == "confirm" else "rejected",
                           author, comment)
        return "已确认为督办事项" if action == "confirm" else "已否决：此句不是督办事项"
    if action == "unverdict":
        corrections.record(db, directive_id, "verdict", None, author, comment)
        return "已撤销核实结论"
    if action == "edit":
        rec = records.load(db, [directive_id], with_status=False)[0]
        changed = []
        parties = corrections.clean_list(form.get("parties", ""))
        if parties != rec.parties:
            corrections.record(db, directive_id, "parties", parties, author, comment)
            changed.append("责任单位")
        sectors = corrections.clean_list(form.getlist("sectors") + [form.get("sectors_other", "")])
        if sectors != rec.sectors:
            corrections.record(db, directive_id, "sectors", sectors, author, comment)
            changed.append("涉及领域")
        deadline = {"text": form.get("deadline_text", ""), "kind": form.get("deadline_kind", ""),
                    "date": form.get("deadline_date", "")}
        cleaned = corrections.clean_deadline(deadline)
        current = {"text": rec.deadline_text or "", "kind": rec.deadline_kind, "date": rec.deadline_date} \
            if (rec.deadline_text or rec.deadline_kind) else {}
        if cleaned != current:
            corrections.record(db, directive_id, "deadline", deadline, author, comment)
            changed.append("完成时限")
        return ("已保存更正：" + "、".join(changed)) if changed else "没有改动"
    if action == "revert":
        for field in ("parties", "sectors", "deadline"):
            corrections.record(db, directive_id, field, None, author, comment)
        return "已恢复为程序提取的责任单位、领域和时限"
    if action == "status":
        value = form.get("status") or None
        corrections.record(db, directive_id, "status", value, author, comment)
        return "已设定落实状态" if value else "已恢复为程序判断的落实状态"
    raise corrections.CorrectionError("无法识别的操作")
