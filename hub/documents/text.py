"""Plain text, Markdown and CSV: decode the bytes and shape them for the viewer (always escaped there)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

TEXT_LIMIT = 2 * 1024 * 1024  # characters kept for display and search
CSV_MAX_ROWS = 1000
CSV_MAX_COLS = 50


def decode(data: bytes) -> str:
    """Decode text as UTF-8 (with or without BOM), else GB18030 (common for Chinese files), else Latin-1."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_text(path: Path) -> str:
    with open(path, "rb") as handle:
        data = handle.read(TEXT_LIMIT * 4)
    text = decode(data)
    return text.replace("\x00", "")[:TEXT_LIMIT]


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
