"""Keys that make a title findable while typing: its text, its pinyin and pinyin initials.

Each key is a suffix starting at a word boundary, so typing any word of a title finds it:
销售易客户管理 gives 销售易客户管理, 客户管理, 管理, xiaoshouyikehuguanli, kehuguanli, xsykhgl, khgl, ...
"""

from __future__ import annotations

from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

from .analysis import fold, segmenter

MAX_KEY = 40
MAX_WORDS = 12


def _is_han(word: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in word)


def _words(text: str) -> list[str]:
    return [w for w in segmenter().cut(text, HMM=False) if w.strip() and any(c.isalnum() for c in w)]


def keys_for(texts: Iterable[str]) -> list[str]:
    """Return the prefix keys for these texts (folded, without spaces, deduplicated, in order)."""
    keys: dict[str, None] = {}
    for text in texts:
        folded = fold(text or "").strip()
        if not folded:
            continue
        words = _words(folded)[: MAX_WORDS * 2]
        full, initials = [], []
        for word in words:
            if _is_han(word):
                syllables = lazy_pinyin(word, style=Style.NORMAL, errors="default")
                full.append("".join(syllables))
                initials.append("".join(s[:1] for s in syllables))
            else:
                full.append(word)
                initials.append(word)
        for i in range(min(len(words), MAX_WORDS)):
            for parts in (words, full, initials):
                key = "".join(parts[i:])[:MAX_KEY]
                if key:
                    keys[key] = None
    return list(keys)


def query_key(text: str) -> str:
    """Fold what was typed into the form keys are stored in."""
    return "".join(fold(text).split())[:MAX_KEY]
