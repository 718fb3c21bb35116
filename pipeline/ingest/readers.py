"""Read local files and fetched bytes (TXT, HTML, DOCX, PDF) into one RawDocument shape.

Everything a user can hand us is untrusted: files are checked for size before they are read,
DOCX zips for bombs before they are opened, and every failure becomes an InputError whose
message (in Chinese) can be shown to the user as is.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from lxml import etree

from .decode import DecodeError, decode_bytes, html_declared_charset

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "InputError",
    "RawDocument",
    "iter_files",
    "read_bytes",
    "read_file",
]


class InputError(Exception):
    """Bad input: str(exc) is a short reason in Chinese for the user.

    E.g. 'DOCX 文件已损坏或不完整'; the messages are the MSG_* constants below.
    """


@dataclass(frozen=True)
class RawDocument:
    """What a reader hands to the parser: the text plus where it came from and how."""

    source: str  # the path as given, or the URL
    fmt: str  # "txt" | "html" | "docx" | "pdf"
    raw_sha256: str  # sha256 hex of the raw bytes
    text: str  # txt/docx/pdf: plain text, one paragraph (or PDF line) per "\n"; html: the markup
    encoding: str | None  # the encoding used to decode txt/html, else None


SUPPORTED_SUFFIXES = {
    ".txt": "txt", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf",
    ".md": "md", ".markdown": "md",
}
# Markdown in a folder is the folder's notes (README.md, INDEX.md): read only when named itself.
NAMED_ONLY_SUFFIXES = frozenset({".md", ".markdown"})
MAX_BYTES = 50 * 1024 * 1024  # larger files are refused

# User-facing messages (shown as is).
MSG_MISSING = "文件不存在"
MSG_NOT_A_FILE = "不是普通文件（可能是文件夹）"
MSG_UNREADABLE = "无法读取文件（没有权限或读取出错）"
MSG_TOO_LARGE = "文件过大（超过 50 MB）"
MSG_UNSUPPORTED = "不支持的文件类型：{}"
MSG_EMPTY = "文件为空"
MSG_BINARY = "不是文本文件（含二进制内容）"
MSG_DOCX_CORRUPT = "DOCX 文件已损坏或不完整"
MSG_DOCX_NOT_DOCX = "不是有效的 DOCX 文件（缺少 word/document.xml）"
MSG_DOCX_OLE = "不是 DOCX 文件（可能是旧版 .doc 格式或已加密）"
MSG_DOCX_BOMB = "疑似压缩炸弹（解压后过大）"
MSG_DOCX_NO_TEXT = "DOCX 中没有文字"
MSG_PDF_NOT_PDF = "不是有效的 PDF 文件（缺少 %PDF- 文件头）"
MSG_PDF_CORRUPT = "PDF 文件已损坏或不完整"
MSG_PDF_ENCRYPTED = "PDF 已加密"
MSG_PDF_NO_TEXT = "PDF 中没有可提取的文字（可能是扫描件）"

_ReaderResult = tuple[str, str | None]  # (text, encoding)


# --------------------------------------------------------------------------- entry points


def read_file(path: str | os.PathLike[str]) -> RawDocument:
    """Read one local file; the format comes from its suffix. Raises InputError."""
    source, data, fmt = checked_bytes(path)
    return _read(data, source, fmt, None)


def checked_bytes(path: str | os.PathLike[str]) -> tuple[str, bytes, str]:
    """(source, bytes, format) of a local file, after the checks every read makes (a regular file, a
    supported suffix, not over MAX_BYTES); the decoding is left to ``read_bytes`` (which may run
    elsewhere: on a worker of the cluster). Raises InputError."""
    source = os.fsdecode(path)
    file = Path(source)
    size = _regular_file_size(file)
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(MSG_UNSUPPORTED.format(suffix or "（无扩展名）"))
    if size > MAX_BYTES:
        raise InputError(MSG_TOO_LARGE)
    return source, _read_at_most(file, MAX_BYTES), SUPPORTED_SUFFIXES[suffix]


def read_bytes(
    data: bytes, source: str, fmt: str | None = None, content_type: str | None = None
) -> RawDocument:
    """Read fetched bytes (the crawler's entry point). Raises InputError.

    The format is ``fmt`` if given, else decided by :func:`_detect_format` from the bytes'
    magic, the Content-Type header and the URL suffix. A charset in ``content_type`` is the
    declared encoding for TXT/HTML.
    """
    if len(data) > MAX_BYTES:
        raise InputError(MSG_TOO_LARGE)
    mime, charset = _parse_content_type(content_type)
    resolved = _normalise_fmt(fmt) if fmt else _detect_format(data, source, mime)
    return _read(data, source, resolved, charset)


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield the files to read, in a stable order, each once.

    Folders are expanded recursively (sorted, hidden files and folders skipped, Word's
    ``~$`` lock files, which look like .docx but are not, and Markdown notes such as INDEX.md,
    which a document site's Markdown file is read only when named). Anything else is yielded as given
    — a missing file or an unsupported suffix included — so that the caller reports it
    rather than it vanishing silently.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        for file in _walk(path) if path.is_dir() else (path,):
            key = _identity(file)
            if key not in seen:
                seen.add(key)
                yield file


def _identity(file: Path) -> Path:
    """The resolved path, so that a file given twice (or via a link) is read once."""
    try:
        return file.resolve()
    except (OSError, RuntimeError):  # symlink loop
        return file.absolute()


def _walk(root: Path) -> list[Path]:
    """All non-hidden files under root, sorted by their path relative to root."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not _is_hidden(d)]
        found.extend(Path(dirpath, f) for f in filenames
                     if not _is_hidden(f) and Path(f).suffix.lower() not in NAMED_ONLY_SUFFIXES)
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def _is_hidden(name: str) -> bool:
    """Dot files and Word's lock files (~$name.docx)."""
    return name.startswith((".", "~$"))


# --------------------------------------------------------------------------- file access


def _regular_file_size(file: Path) -> int:
    """stat() the file without reading it: missing, folder, FIFO and unreadable are refused."""
    try:
        info = file.stat()
    except FileNotFoundError:
        raise InputError(MSG_MISSING) from None
    except OSError:
        raise InputError(MSG_UNREADABLE) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(MSG_NOT_A_FILE)
    return info.st_size


def _read_at_most(file: Path, limit: int) -> bytes:
    """Read the file, refusing it if it grew past the limit since it was stat()ed."""
    try:
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError:
        raise InputError(MSG_UNREADABLE) from None
    if len(data) > limit:
        raise InputError(MSG_TOO_LARGE)
    return data


def _read(data: bytes, source: str, fmt: str, declared: str | None) -> RawDocument:
    """Dispatch to the format's reader and wrap the result."""
    readers: dict[str, Callable[[bytes, str | None], _ReaderResult]] = {
        "txt": _read_txt,
        "html": _read_html,
        "docx": _read_docx,
        "pdf": _read_pdf,
        "md": _read_markdown,
    }
    text, encoding = readers[fmt](data, declared)
    return RawDocument(source, fmt, hashlib.sha256(data).hexdigest(), text, encoding)


# --------------------------------------------------------------------------- format detection

_DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FMT_BY_MIME = {
    "text/plain": "txt",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    _DOCX_MIME: "docx",
}
# Say nothing about the content: servers send these for any download.
_UNINFORMATIVE_MIMES = frozenset(
    {
        "", "application/octet-stream", "binary/octet-stream", "application/force-download",
        "application/x-download", "application/download", "application/unknown",
    }
)
# Page URLs end in .shtml, .jsp, .aspx …; only these suffixes name a document we can't read.
_UNSUPPORTED_DOC_SUFFIXES = frozenset(
    {
        ".doc", ".wps", ".rtf", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".ofd", ".zip",
        ".rar", ".7z", ".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".mp4",
    }
)
_HTML_START_RE = re.compile(
    r"^\s*<(?:!doctype\s+html|html|head|body|meta|title|div|table|p)\b", re.I
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _normalise_fmt(fmt: str) -> str:
    """Accept "pdf", ".pdf", "htm", "HTML" …; refuse anything else."""
    key = "." + fmt.lower().lstrip(".")
    if key not in SUPPORTED_SUFFIXES:
        raise InputError(MSG_UNSUPPORTED.format(fmt))
    return SUPPORTED_SUFFIXES[key]


def _parse_content_type(content_type: str | None) -> tuple[str, str | None]:
    """Split 'text/html; charset=gbk' into ('text/html', 'gbk')."""
    if not content_type:
        return "", None
    mime, *params = content_type.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime.strip().lower(), charset


def _detect_format(data: bytes, source: str, mime: str) -> str:
    """Decide the format of fetched bytes.

    Binary magic wins (a PDF served as octet-stream from download.jsp is still a PDF); then
    the Content-Type; then the URL suffix; then an HTML sniff, else plain text. A claim of
    PDF/DOCX on bytes without the magic goes to that reader, which says what is wrong — an
    HTML error page saved under a .pdf URL must not be read as a document.
    """
    magic = _sniff_binary(data)
    if magic:
        return magic
    claimed = _FMT_BY_MIME.get(mime)
    if claimed is None and mime not in _UNINFORMATIVE_MIMES and not mime.startswith("text/"):
        raise InputError(MSG_UNSUPPORTED.format(mime))
    if claimed is None:
        suffix = _url_suffix(source)
        if suffix in _UNSUPPORTED_DOC_SUFFIXES:
            raise InputError(MSG_UNSUPPORTED.format(suffix))
        claimed = SUPPORTED_SUFFIXES.get(suffix)
    if claimed in (None, "txt") and _looks_like_html(data):
        return "html"
    return claimed or "txt"


def _sniff_binary(data: bytes) -> str | None:
    """'pdf' for %PDF-, 'docx' for a zip holding word/document.xml, else None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.getinfo("word/document.xml")
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError):
            return None
        return "docx"
    return None


def _url_suffix(source: str) -> str:
    """Lower-case suffix of the URL's path (query and fragment ignored), or of a plain path."""
    path = unquote(urlparse(source).path) if "://" in source else source
    return PurePosixPath(path).suffix.lower()


def _looks_like_html(data: bytes) -> bool:
    """True if the first 1 KB starts like an HTML page or fragment."""
    head = data[:1024]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("latin-1").removeprefix("\xef\xbb\xbf")
    return bool(_HTML_START_RE.match(text)) or "<html" in text.lower()


# --------------------------------------------------------------------------- TXT and HTML

_BINARY_PROBE = 8192
_NEWLINES_RE = re.compile(r"\r\n?|[\f\v\x85\u2028\u2029]")


def _normalise_newlines(text: str) -> str:
    """\\r\\n, \\r, form feed, vertical tab and Unicode line separators → \\n.

    After this, str.split("\\n") and str.splitlines() agree, so offsets line up downstream.
    """
    return _NEWLINES_RE.sub("\n", text)


def _decode_text_bytes(data: bytes, declared: str | None) -> tuple[str, str]:
    """Refuse empty and binary input, then decode (see pipeline.ingest.decode)."""
    if not data.strip():
        raise InputError(MSG_EMPTY)
    utf16_or_32 = data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
    )
    if not utf16_or_32 and b"\x00" in data[:_BINARY_PROBE]:
        raise InputError(MSG_BINARY)
    try:
        return decode_bytes(data, declared)
    except DecodeError:
        raise InputError(MSG_BINARY) from None


def _read_txt(data: bytes, declared: str | None) -> _ReaderResult:
    """Plain text: decoded, newlines normalised, stray NULs (past the probe) dropped."""
    text, encoding = _decode_text_bytes(data, declared)
    text = _normalise_newlines(text).replace("\x00", "")
    if not text.strip():
        raise InputError(MSG_EMPTY)
    return text, encoding


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_MD_TAG = re.compile(r"<[A-Za-z/!][^>]*>")
_MD_LINE_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s*|>\s?|[-*+]\s+(?=\S))")
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _read_markdown(data: bytes, declared: str | None) -> _ReaderResult:
    """Markdown as published on document sites (HTML fragments and entities inside): plain text,
    one paragraph a line, the markup's marks (front matter, #, **, links, tags) taken away."""
    import html

    text, encoding = _read_txt(data, declared)
    text = _MD_TAG.sub("\n", _FRONT_MATTER.sub("", text))
    lines = []
    for line in text.split("\n"):
        line = html.unescape(line)
        line = _MD_EMPHASIS.sub("", _MD_LINK.sub(r"\1", _MD_LINE_MARK.sub("", line)))
        lines.append(line.replace("\u2003", " ").replace("\xa0", " ").strip())
    text = "\n".join(lines).strip()
    if not text:
        raise InputError(MSG_EMPTY)
    return text, encoding


def _read_html(data: bytes, declared: str | None) -> _ReaderResult:
    """HTML markup decoded with the HTTP charset or the page's <meta>; cleaning happens later.

    Only \\r\\n and \\r are normalised: HTML parsers do the same, and the markup stays intact.
    """
    charset = html_declared_charset(data, declared)
    text, encoding = _decode_text_bytes(data, charset)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(MSG_EMPTY)
    return text, encoding


# --------------------------------------------------------------------------- DOCX

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Deflate reaches ratios above 100 only on long runs of repeated bytes; a small part that
# does so (say 50 KB of spaces) is harmless, so the ratio is checked from this size on.
_RATIO_CHECK_FROM = 1024 * 1024

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NS = {"w": _W, "mc": _MC}


def _w(tag: str) -> str:
    """Clark name of a WordprocessingML tag."""
    return f"{{{_W}}}{tag}"


_P, _TBL, _R, _TXBX = _w("p"), _w("tbl"), _w("r"), _w("txbxContent")
_SDT, _SDT_CONTENT, _CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr", namespaces=_NS)
_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc", namespaces=_NS)
# Run children that carry text; None means "the element's own text" (w:t).
_RUN_TEXT: dict[str, str | None] = {
    _w("t"): None,
    _w("tab"): "\t",
    _w("ptab"): "\t",
    _w("br"): "\n",
    _w("cr"): "\n",
    _w("noBreakHyphen"): "-",
}
_FALLBACK = f"{{{_MC}}}Fallback"
_DELETED = frozenset({_w("del"), _w("moveFrom")})


def _read_docx(data: bytes, _declared: str | None) -> _ReaderResult:
    """Body paragraphs and table rows in document order, one per line (headers/footers skipped).

    Tables are walked where they stand in the body XML (doc.paragraphs then doc.tables would
    move every table to the end): each row is its cells joined by a tab; a one-column row
    (a frame around text, common in red-head documents) gives its paragraphs as lines.
    """
    _check_docx_container(data)
    body = _open_docx_body(data)
    text = _normalise_newlines("\n".join(_block_lines(body))).strip("\n")
    if not text.strip():
        raise InputError(MSG_DOCX_NO_TEXT)
    return text, None


def _check_docx_container(data: bytes) -> None:
    """Refuse non-zips, zips without word/document.xml, and zip bombs — before parsing.

    Declared sizes are enough: Python's zipfile stops at a member's declared size and fails
    its CRC check if the data would inflate further, so a lying header cannot get past.
    """
    if data.startswith(_OLE_MAGIC):
        raise InputError(MSG_DOCX_OLE)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(MSG_DOCX_CORRUPT)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise InputError(MSG_DOCX_CORRUPT) from None
    if "word/document.xml" not in {m.filename for m in members}:
        raise InputError(MSG_DOCX_NOT_DOCX)
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES or any(map(_too_compressed, members)):
        raise InputError(MSG_DOCX_BOMB)


def _too_compressed(member: zipfile.ZipInfo) -> bool:
    """A large member that inflates more than MAX_COMPRESSION_RATIO times."""
    if member.file_size < _RATIO_CHECK_FROM:
        return False
    return member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)


def _open_docx_body(data: bytes) -> etree._Element:
    """Open with python-docx; any failure inside a checked container means a corrupt file."""
    import docx  # imported here: loading python-docx costs ~0.2 s that TXT/HTML runs skip

    try:
        return docx.Document(io.BytesIO(data)).element.body
    except Exception:  # noqa: BLE001 - corrupt input raises anything (zip, XML, KeyError, …)
        raise InputError(MSG_DOCX_CORRUPT) from None


def _block_lines(container: etree._Element) -> Iterator[str]:
    """Lines of a body, cell, text box or content control, in document order."""
    for child in container.iterchildren():
        if child.tag == _P:
            yield _paragraph_text(child)
            for box in _text_boxes(child):
                yield from _block_lines(box)
        elif child.tag == _TBL:
            yield from _table_lines(child)
        elif child.tag == _CUSTOM_XML:
            yield from _block_lines(child)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _block_lines(content)


def _table_lines(table: etree._Element) -> Iterator[str]:
    """One line per row, cells joined by a tab; one-column rows give their paragraphs."""
    for row in _ROWS(table):
        cells = _CELLS(row)
        if len(cells) == 1:
            yield from _block_lines(cells[0])
        else:
            yield "\t".join(_cell_text(cell) for cell in cells)


def _cell_text(cell: etree._Element) -> str:
    """A cell on one line: its paragraphs (and nested tables) joined by a space.

    A vertically merged continuation cell is empty, so the merged text is not repeated.
    """
    lines = (line.strip() for line in _block_lines(cell))
    return " ".join(line for line in lines if line).replace("\n", " ")


def _paragraph_text(paragraph: etree._Element) -> str:
    """Visible text of the paragraph's own runs, including hyperlinks, fields and insertions.

    Runs in text boxes anchored here belong to those boxes; deleted runs are not shown.
    """
    parts: list[str] = []
    for run in paragraph.iter(_R):
        if _owner(run, _P) is paragraph and run.getparent().tag not in _DELETED:
            parts.append(_run_text(run))
    return "".join(parts)


def _run_text(run: etree._Element) -> str:
    """Text of one run: w:t, tabs, breaks and non-breaking hyphens."""
    parts: list[str] = []
    for child in run.iterchildren():
        if child.tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[child.tag] or child.text or "")
    return "".join(parts)


def _text_boxes(paragraph: etree._Element) -> Iterator[etree._Element]:
    """Text boxes anchored in this paragraph, each once (mc:Fallback duplicates are skipped)."""
    for box in paragraph.iter(_TXBX):
        if _owner(box, _P) is paragraph and _owner(box, _FALLBACK, stop=paragraph) is None:
            yield box


def _owner(
    element: etree._Element, tag: str, stop: etree._Element | None = None
) -> etree._Element | None:
    """Nearest ancestor with this tag, not looking past ``stop``."""
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return None
        if ancestor.tag == tag:
            return ancestor
    return None


# --------------------------------------------------------------------------- PDF

_PDF_HEADER_WINDOW = 1024  # Acrobat accepts the header anywhere in the first 1 KB
_PDF_EOF_WINDOW = 2048
_GAP_RE = re.compile(r"(?<=\S) {4,}(?=\S)")
_BLANK_RUN_RE = re.compile(r"\n{3,}")


def _read_pdf(data: bytes, _declared: str | None) -> _ReaderResult:
    """Text of every page, line by line, with pypdf's layout mode (chosen by measurement).

    Hard line breaks stay (the cleaner re-flows them); pages are joined by "\\n".
    """
    # Measured on this project's 2-core dev machine, Python 3.11, pdfminer.six
    # 20260107 vs pypdf 7.1.0, on PDFs made with reportlab's CID font STSong-Light from
    # hunan-gwr-2025.txt (15 pages, 18,300 non-space chars) and from three 2025 reports
    # concatenated (53 pages, 66,095 chars); median of 5 runs:
    #   15 pages: pdfminer.six 0.466 s | pypdf plain 0.092 s | pypdf layout 0.084 s
    #   53 pages: pdfminer.six 1.522 s | pypdf plain 0.274 s | pypdf layout 0.309 s
    # Characters (whitespace ignored): both pypdf modes returned all 66,095 exactly and in
    # order; pdfminer dropped all 6 "·" (U+00B7): 自贡“7·17”重大事故 came back as “717”.
    # With character spacing >= 2 pt (justified lines, spaced-out headings) pdfminer put a
    # space between every Chinese character; pypdf did not. Lines drawn bottom-up in the
    # content stream: pypdf plain mode returned them reversed, pdfminer and pypdf layout in
    # reading order. pdfminer also put a blank line after every line. Two columns: pdfminer
    # gives one column after the other, pypdf layout puts a row's columns on one line, which
    # keeps a task table's row (task, lead unit, deadline) together; gaps of 4+ spaces become
    # a tab, as between DOCX table cells. Hence pypdf layout mode, with plain mode as the
    # fallback for a page that layout mode cannot handle.
    _check_pdf_bytes(data)
    pages = [_page_text(page) for page in _open_pdf(data).pages]
    text = _tidy_pdf_text("\n".join(pages))
    if not text.strip():
        raise InputError(MSG_PDF_NO_TEXT)
    return text, None


def _check_pdf_bytes(data: bytes) -> None:
    """Header present; %%EOF near the end (a download cut short has none)."""
    if b"%PDF-" not in data[:_PDF_HEADER_WINDOW]:
        raise InputError(MSG_PDF_NOT_PDF)
    if b"%%EOF" not in data[-_PDF_EOF_WINDOW:]:
        raise InputError(MSG_PDF_CORRUPT)


def _open_pdf(data: bytes) -> PdfReader:
    """Open with pypdf; an owner-password-only PDF (copy protection) is read, others refused.

    Government sites often publish PDFs locked against copying but with an empty user
    password: their text is readable, so only a PDF that the empty password cannot open
    counts as encrypted.
    """
    from pypdf import PdfReader  # imported here: only PDF runs pay for it

    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - a corrupt PDF raises anything from the parser
        raise InputError(MSG_PDF_CORRUPT) from None
    if reader.is_encrypted and not _decrypts_with_empty_password(reader):
        raise InputError(MSG_PDF_ENCRYPTED)
    try:
        _ = len(reader.pages)  # forces the page tree: broken files fail here, not later
    except Exception:  # noqa: BLE001
        raise InputError(MSG_PDF_CORRUPT) from None
    return reader


def _decrypts_with_empty_password(reader: PdfReader) -> bool:
    """True if the empty user password opens it (an unsupported cipher counts as no)."""
    from pypdf import PasswordType

    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:  # noqa: BLE001 - e.g. AES without the cryptography package
        return False


def _page_text(page: PageObject) -> str:
    """Layout-mode text of a page; plain mode if layout mode fails on it."""
    try:
        return page.extract_text(extraction_mode="layout")
    except Exception:  # noqa: BLE001 - layout mode is stricter about odd fonts
        pass
    try:
        return page.extract_text()
    except Exception:  # noqa: BLE001
        raise InputError(MSG_PDF_CORRUPT) from None


def _tidy_pdf_text(text: str) -> str:
    """Form feeds → \\n, trailing spaces off, wide gaps → tab, at most one blank line in a row.

    Leading spaces stay: they mark a paragraph's first-line indent for the re-flowing cleaner.
    """
    lines = [_GAP_RE.sub("\t", line.rstrip()) for line in _normalise_newlines(text).split("\n")]
    return _BLANK_RUN_RE.sub("\n\n", "\n".join(lines)).strip("\n")
