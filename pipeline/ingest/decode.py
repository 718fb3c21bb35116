"""Turn raw bytes of Chinese text or HTML into str without mojibake.

Chinese government sites declare ``gb2312`` but serve GBK/GB18030-only characters
(喆, 镕, 堃 in people's names), servers default to ISO-8859-1, and files saved on Windows
are GBK without any declaration. The order below is what survives all of these.
"""

from __future__ import annotations

import codecs
import functools
import re

from charset_normalizer import from_bytes

__all__ = [
    "DecodeError",
    "decode_bytes",
    "html_declared_charset",
    "normalise_charset",
    "sniff_html_charset",
]


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can tell apart from noise."""


# Labels of the GB family; GB18030 is a strict superset of all of them, so decoding every
# one as gb18030 never loses a character that the site really meant.
_GB_FAMILY = frozenset(
    {
        "gb2312", "gb_2312", "gb_2312-80", "gb2312-80", "csgb2312", "euc-cn", "euccn",
        "x-euc-cn", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "csgbk",
        "gb18030", "chinese", "csiso58gb231280", "iso-ir-58",
    }
)
# Python codec names that charset-normalizer may answer with for the same family.
_GB_CODECS = frozenset({"gb2312", "gbk", "gb18030"})

# Single-byte code pages decode *any* byte string, so a declaration of one of them (often
# just a server default such as ISO-8859-1) would turn Chinese into mojibake: never trust it.
_ALL_BYTES = bytes(range(256))


@functools.lru_cache(maxsize=64)
def _is_single_byte(codec: str | None) -> bool:
    """True for code pages that map every byte to one character (Latin-1, cp1252, cp874 …)."""
    if codec is None or codec.startswith("utf"):
        return False
    try:
        return len(_ALL_BYTES.decode(codec, errors="replace")) == len(_ALL_BYTES)
    except LookupError:
        return False


# charset-normalizer answers that are kept even when gb18030 would also fit: Unicode, and
# Big5 (genuine Big5 text gets big5 as its only candidate).
_KEEP_GUESS_PREFIXES = ("utf", "big5", "cp950")


_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_SNIFF_BYTES = 4096
_META_CHARSET_RE = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)""", re.I)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([a-z0-9_:.\-]+)""", re.I)


def normalise_charset(label: str | None) -> str | None:
    """Map a declared charset label to a Python codec name, or None if unknown/empty.

    Every GB-family label becomes ``gb18030`` (see module docstring).
    """
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "gb18030" if codec in _GB_CODECS else codec


def sniff_html_charset(data: bytes) -> str | None:
    """Return the charset declared in the first 4 KB of an HTML page, as written (lower case).

    Looks for ``<meta charset=…>``, ``<meta http-equiv="Content-Type" content="…;
    charset=…">`` and an XML declaration; the page's own claim is the best hint when the HTTP
    header has none.
    """
    head = data[:_SNIFF_BYTES]
    match = _META_CHARSET_RE.search(head) or _XML_DECL_RE.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def html_declared_charset(data: bytes, header_charset: str | None) -> str | None:
    """The charset to treat as declared for an HTML page: HTTP header first, then <meta>.

    As in browsers the header wins — unless it is missing, a single-byte default such as
    ISO-8859-1, or does not decode the bytes (nginx ``charset utf-8;`` in front of a GBK
    site); then the page's own ``<meta>`` is asked.
    """
    meta_charset = sniff_html_charset(data)
    for label in (header_charset, meta_charset):
        codec = normalise_charset(label)
        if codec and not _is_single_byte(codec) and _decodes(data, codec):
            return label
    return header_charset or meta_charset


def _decodes(data: bytes, codec: str) -> bool:
    """True if the bytes decode strictly with the codec."""
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding).

    Order: BOMs first (utf-8-sig, utf-16, utf-32); then the declared charset (HTTP header or
    ``<meta>``), with gb2312/gbk/gb_2312-80/x-gbk mapped to gb18030 (sites declare gb2312 but
    serve GBK-only characters like 喆 镕 堃); strict UTF-8 next; else charset-normalizer's best
    guess, again mapping any GB-family answer to gb18030. Never Latin-1 mojibake for Chinese.

    Refinements for common failures of real sites: a Western single-byte declaration
    (iso-8859-1, windows-1252 — usually a server default) is ignored; a GB declaration on
    bytes that are valid multi-byte UTF-8 loses to UTF-8 (a page re-saved as UTF-8 whose
    ``<meta>`` was never updated — GBK text is practically never valid UTF-8); a declared
    utf-16/utf-32 without a BOM is ignored, as browsers do; GB text with a few broken bytes
    (a download cut mid-character) is decoded as gb18030 with U+FFFD for the broken ones
    rather than as a Western code page. Raises DecodeError when no encoding fits.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding), encoding
    codec = normalise_charset(declared)
    decoded = _decode_declared(data, codec)
    if decoded is not None:
        return decoded
    if _is_utf8(data):
        return data.decode("utf-8"), "utf-8"
    try:
        return _decode_guessed(data, prefer_gb=codec == "gb18030")
    except DecodeError:
        repaired = _repair(data, prefer_gb=codec == "gb18030")
        if repaired is None:
            raise
        return repaired


# A real page often carries a few bytes no encoding reads (a 0xFF, one GBK line pasted into UTF-8
# text). Such a text is kept, the bad bytes replaced by U+FFFD and counted, when they are few:
REPAIR_MAX_CHARS = 16
REPAIR_MAX_SHARE = 0.01
REPAIRED = "/repaired"      # suffix of the encoding's name: the document says its text was repaired


def replaced_characters(text: str) -> int:
    return text.count("\ufffd")


def _per_line(data: bytes, first: str, second: str) -> str:
    """Each line in the first codec that reads it strictly, else the second, else the first with U+FFFD."""
    out = []
    for line in data.split(b"\n"):
        for codec in (first, second):
            try:
                out.append(line.decode(codec))
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append(line.decode(first, errors="replace"))
    return "\n".join(out)


def _repair(data: bytes, prefer_gb: bool) -> tuple[str, str] | None:
    """The reading with the fewest broken characters, if they are few enough; else None (binary)."""
    order = ("gb18030", "utf-8") if prefer_gb else ("utf-8", "gb18030")
    readings = [(_per_line(data, order[0], order[1]), order[0]), (_per_line(data, order[1], order[0]), order[1])]
    text, codec = min(readings, key=lambda r: _noise(r[0]))
    if _noise(text) <= max(REPAIR_MAX_CHARS, len(text) * REPAIR_MAX_SHARE):
        return text, codec + REPAIRED
    return None


def _strict(data: bytes, encoding: str) -> str:
    """Decode strictly, turning a failure into DecodeError (a BOM that lies is not text)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {encoding}: {exc}") from exc


def _decode_declared(data: bytes, codec: str | None) -> tuple[str, str] | None:
    """Decode with the declared codec when it is trustworthy and fits; None to fall through."""
    if codec is None or _is_single_byte(codec) or codec.startswith(("utf-16", "utf-32")):
        return None
    if codec == "gb18030" and not data.isascii() and _is_utf8(data):
        return data.decode("utf-8"), "utf-8"
    try:
        return data.decode(codec), codec
    except (UnicodeDecodeError, LookupError):
        return None


def _is_utf8(data: bytes) -> bool:
    """True if the bytes are valid strict UTF-8."""
    return _decodes(data, "utf-8")


def _decode_guessed(data: bytes, prefer_gb: bool) -> tuple[str, str]:
    """Ask charset-normalizer, but prefer gb18030 unless only Unicode or Big5 fits.

    On short GBK text charset-normalizer often ranks cp949 (Korean), big5 or a single-byte
    code page first (measured: "喆" alone → cp949, "镕镕镕" → big5, 14 characters of GBK cut
    mid-character → cp874, Thai); on longer text with one broken byte it finds nothing.
    gb18030 (with U+FFFD for a few broken bytes) is the right call for this project's
    documents; the price is that Japanese or Korean text would come out as Chinese mojibake.
    """
    matches = from_bytes(data)
    best = matches.best()
    best_codec = normalise_charset(best.encoding) if best is not None else None
    candidates = {normalise_charset(match.encoding) for match in matches}
    keep_guess = (best_codec or "").startswith(_KEEP_GUESS_PREFIXES)
    if prefer_gb or "gb18030" in candidates or not keep_guess:
        text = _lenient_gb18030(data)
        if text is not None:
            return text, "gb18030"
    if best is None or best_codec is None:
        raise DecodeError("no plausible encoding")
    if _is_single_byte(best_codec) and not data.isascii():
        raise DecodeError(f"only a single-byte code page fits ({best_codec})")
    try:
        return data.decode(best_codec), best_codec
    except UnicodeDecodeError as exc:
        raise DecodeError(str(exc)) from exc


def _lenient_gb18030(data: bytes) -> str | None:
    """gb18030 with U+FFFD for broken bytes, if the result still reads as text."""
    text = data.decode("gb18030", errors="replace")
    return text if _noise(text) <= max(_MAX_NOISE_CHARS, len(text) * _MAX_NOISE_SHARE) else None


# A cut-off download breaks one character; binary noise has controls every few characters.
_MAX_NOISE_CHARS = 2
_MAX_NOISE_SHARE = 0.005
# Replacement characters and C0 controls other than \t \n \v \f \r, and DEL.
_NOISE_RE = re.compile("[\ufffd\x00-\x08\x0e-\x1f\x7f]")


def _noise(text: str) -> int:
    """Number of replacement and control characters: near 0 for text, high for binary."""
    return sum(1 for _ in _NOISE_RE.finditer(text))
