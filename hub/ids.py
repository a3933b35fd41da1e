"""Record ids from user input: query strings, form fields, search text, cookies, socket payloads.

`str.isdigit()` admits "⁰⁴⁵" (which `int()` refuses) and `int()` admits "٣" and "1_0", so ids are
read here only: ASCII digits, within what a database integer column holds (as `<int:...>` routes).
"""

import re

from .database import MAX_ID

_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")  # [0-9], not \d: \d matches every script's digits


def parse_id(value) -> int | None:
    """An id written as text (surrounding spaces allowed), or None when it is not one."""
    if not isinstance(value, str):
        return None
    value = value.strip(" \t\r\n")
    if not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def json_id(value) -> int | None:
    """An id sent as a JSON number (never a string or a boolean), 1 to MAX_ID, or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_ID else None
