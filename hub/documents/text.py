"""Plain text, Markdown and CSV: tell text from binary, decode the bytes to str, shape them for the viewer.

Text is always shown escaped (Markdown sanitised), so any text is safe to accept under a text name.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import charset_normalizer

TEXT_LIMIT = 2 * 1024 * 1024  # characters kept for display and search
SNIFF_BYTES = 1024 * 1024  # enough to tell text from binary
CSV_MAX_ROWS = 1000
CSV_MAX_COLS = 50
CHINESE = {"gb18030", "gbk", "gb2312", "hz"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Controls that real text carries: tab, newlines, form feed, backspace (man-page overstrike), escape (logs).
BINARY_CONTROLS = re.compile(r"[\x00-\x07\x0e-\x1a\x1c-\x1f\x7f]")
# Word writes Symbol/Wingdings bullets (U+F0B7, U+F0A7, U+F076, U+F0D8, U+F0FC...) as private-use code points
# that no ordinary font draws, so they appear as empty boxes in snippets; they stand for list bullets.
SYMBOL_FONT_GLYPHS = re.compile(r"[\uf020-\uf0ff]")


def _strict(data: bytes, encoding: str, partial: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(data, final=not partial)
    except UnicodeDecodeError:
        return None


def _chinese(data: bytes, partial: bool) -> str | None:
    """GB18030 (a superset of GBK and GB2312) when that decodes and what it gives is mostly Chinese.

    Short Chinese files are too little for a statistical detector (it may say Big5); Latin text in
    a single-byte code page rarely decodes as GB18030, and never to mostly Chinese characters.
    """
    text = _strict(data, "gb18030", partial)
    if text is None:
        return None
    wide = sum(1 for c in text if ord(c) > 127)
    return text if wide and len(CJK.findall(text)) >= 0.8 * wide else None


def _decoded(data: bytes, partial: bool) -> str | None:
    text = _strict(data, "utf-8-sig", partial)
    if text is not None:
        return text
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding in CHINESE:
        return str(best)
    return _chinese(data, partial) or (str(best) if best is not None else None)


def guess_text(data: bytes, partial: bool = False) -> str | None:
    """The text in `data` (UTF-8, GB18030/GBK, UTF-16 with BOM, a code page...), or None if it is no text.

    `partial`: data is the start of a longer file (a character may be cut at its end).
    """
    text = _decoded(data, partial)
    if text is None or len(BINARY_CONTROLS.findall(text)) > len(text) // 200:
        return None
    return text


def looks_like_text(path: str) -> bool:
    with open(path, "rb") as handle:
        data = handle.read(SNIFF_BYTES + 1)
    partial = len(data) > SNIFF_BYTES
    if partial:
        data = data[:SNIFF_BYTES]
        cut = data.rfind(b"\n", -65536)  # never inside a multibyte character (UTF-8, GB18030)
        data = data[: cut + 1] if cut > 0 else data
    return guess_text(data, partial) is not None


def decode(data: bytes, partial: bool = False) -> str:
    """Decode text for display and search as _decoded finds it, else as Latin-1 (never fails)."""
    text = _decoded(data, partial)
    return text if text is not None else data.decode("latin-1")


def read_text(path: Path) -> str:
    with open(path, "rb") as handle:
        data = handle.read(TEXT_LIMIT * 4)
    text = decode(data, partial=len(data) == TEXT_LIMIT * 4)
    return text.replace("\x00", "")[:TEXT_LIMIT]


def plain_bullets(text: str) -> str:
    """Replace Symbol-font private-use glyphs from Office conversions with an ordinary bullet."""
    return SYMBOL_FONT_GLYPHS.sub("\u2022", text)


def csv_rows(text: str) -> tuple[list[list[str]], bool]:
    """Parse CSV text into at most CSV_MAX_ROWS rows; return (rows, truncated)."""
    sample = text[:10_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for row in reader:
            if len(rows) >= CSV_MAX_ROWS:
                return rows, True
            rows.append([cell[:500] for cell in row[:CSV_MAX_COLS]])
    except csv.Error:
        pass
    return rows, False
