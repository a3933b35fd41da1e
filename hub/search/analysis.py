"""Text analysis for the index: folding, jieba segmentation in search mode, stemming.

One function, `analyze`, turns text into index terms; the Whoosh tokenizer, the query
builder, the highlighter and the benchmark all call it, so index and query time agree.

- Folding: full-width to half-width (NFKC), traditional to simplified Chinese (OpenCC's own
  character tables, applied per character so offsets stay put), lower case.
- Chinese: jieba in search mode, so a compound also yields its parts (销售易 -> 销售, 销售易).
- English: lower-cased and Porter-stemmed; numbers and product codes stay as they are.
"""

from __future__ import annotations

import functools
import logging
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from math import log
from pathlib import Path

import jieba
import opencc
from jieba import finalseg
from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter2 import stem

jieba.setLogLevel(logging.WARNING)
_RE_HAN, _RE_SKIP = jieba.re_han_default, jieba.re_skip_default  # what Tokenizer.cut splits with

# Kept short on purpose: a stop word can never be searched for.
STOP_WORDS = frozenset(
    """a an and are as at be by for from in is it of on or that the this to was were will with
    的 了 和 与 及 是 在 也 都 就 而 着 把 被 之 其 这 那 个 吗 呢 吧 啊""".split()
)


def _char_table() -> dict[int, str]:
    """Map each traditional character to its simplified form (OpenCC's TSCharacters table)."""
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1 and source != target:
            table[ord(source)] = target
    return table


_T2S = _char_table()
_TRADITIONAL = frozenset(chr(c) for c in _T2S)


def fold_char(ch: str) -> str:
    """Fold one character; the result may be empty or longer (NFKC), usually one character."""
    return unicodedata.normalize("NFKC", ch).translate(_T2S).lower()


def fold(text: str) -> str:
    """Fold text for matching: width, traditional/simplified and case differences vanish.

    Each step runs only when it would change something: most text is NFKC and simplified already,
    and the two tests are far cheaper than normalising and translating every character."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if not _TRADITIONAL.isdisjoint(text):
        text = text.translate(_T2S)
    return text.lower()


# --- the segmenter and its admin-edited dictionary --------------------------------------------

_lock = threading.Lock()
_segmenter: jieba.Tokenizer | None = None
_custom: frozenset[str] = frozenset()


def segmenter() -> jieba.Tokenizer:
    """Return Hub's own jieba instance (other code using jieba's global one is unaffected)."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                seg = jieba.Tokenizer()
                seg.initialize()
                _segmenter = seg
    return _segmenter


def set_dictionary(words: Iterable[str]) -> bool:
    """Make the segmenter keep exactly these custom words whole; return whether anything changed."""
    global _custom
    wanted = frozenset(w for w in (fold(x).strip() for x in words) if w and " " not in w)
    if wanted == _custom:
        return False
    seg = segmenter()
    with _lock:
        for word in _custom - wanted:
            seg.del_word(word)
        for word in wanted - _custom:
            seg.add_word(word, freq=max(seg.suggest_freq(word, tune=False), 50))
        _custom = wanted
        _cached_terms.cache_clear()
    return True


def custom_words() -> frozenset[str]:
    return _custom


# --- analysis --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return stem(word)


def _normalise(word: str) -> str | None:
    """Turn one segment into an index term, or None for punctuation, spaces and stop words."""
    if not word.isalnum():  # the common case (Chinese words, plain English words) skips this
        if not any(c.isalnum() for c in word):
            return None
        word = word.strip("._-&%#")
        if not word:
            return None
    if word in STOP_WORDS:
        return None
    if word.isascii() and word.isalpha():
        return _stem(word)
    return word


def segments(folded: str) -> list[tuple[str, int, int]]:
    """Split folded text into (term, start, end) in search mode: sub-words come before their word."""
    out = []
    for word, start, end in segmenter().tokenize(folded, mode="search"):
        term = _normalise(word)
        if term is not None:
            out.append((term, start, end))
    return out


def _route(seg: jieba.Tokenizer, block: str) -> list[int]:
    """jieba's get_DAG and calc in one pass: for each start, the end of its best word (same choices).

    Same arithmetic in the same order as `calc`, and max((score, end)) kept by preferring the later
    end on equal scores, so the segmentation is jieba's own; only the dict of lists is gone."""
    freq = seg.FREQ
    logtotal = log(seg.total)
    n = len(block)
    scores = [0] * (n + 1)
    ends = [0] * (n + 1)
    for idx in range(n - 1, -1, -1):
        best = None
        end = idx
        i = idx
        frag = block[idx]
        while i < n and frag in freq:  # FREQ holds words and their prefixes (0 for a prefix only)
            f = freq[frag]
            if f:
                score = log(f) - logtotal + scores[i + 1]
                if best is None or score >= best:
                    best, end = score, i
            i += 1
            frag = block[idx : i + 1]
        if best is None:
            best = log(freq.get(block[idx]) or 1) - logtotal + scores[idx + 1]
        scores[idx] = best
        ends[idx] = end
    return ends


def _cut_block(seg: jieba.Tokenizer, block: str) -> Iterator[str]:
    """jieba's __cut_DAG (HMM on) over a run of Chinese/alphanumeric characters, with `_route`."""
    freq = seg.FREQ
    ends = _route(seg, block)
    x = 0
    buf = ""
    n = len(block)
    while x < n:
        y = ends[x] + 1
        word = block[x:y]
        if y - x == 1:
            buf += word
        else:
            if buf:
                yield from _single_chars(buf, freq)
                buf = ""
            yield word
        x = y
    if buf:
        yield from _single_chars(buf, freq)


def _single_chars(buf: str, freq: dict) -> Iterator[str]:
    """A run of characters the route left single, as jieba words it: unknown runs through its HMM."""
    if len(buf) == 1:
        yield buf
    elif not freq.get(buf):
        yield from finalseg.cut(buf)
    else:
        yield from buf


def cut_for_search(seg: jieba.Tokenizer, text: str) -> Iterator[str]:
    """What seg.cut_for_search(text) yields (HMM on), with jieba's route search done by `_route`."""
    freq = seg.FREQ
    for blk in _RE_HAN.split(text):
        if not blk:
            continue
        if _RE_HAN.match(blk):
            words: Iterable[str] = _cut_block(seg, blk)
        else:
            words = [c for x in _RE_SKIP.split(blk) for c in ((x,) if _RE_SKIP.match(x) else x)]
        for w in words:
            size = len(w)
            if size > 2:
                for i in range(size - 1):
                    gram2 = w[i : i + 2]
                    if freq.get(gram2):
                        yield gram2
                if size > 3:
                    for i in range(size - 2):
                        gram3 = w[i : i + 3]
                        if freq.get(gram3):
                            yield gram3
            yield w


def _terms(folded: str) -> list[str]:
    """The terms of folded text (like `segments` without offsets, which jieba computes slower)."""
    out = []
    for word in cut_for_search(segmenter(), folded):
        term = _normalise(word)
        if term is not None:
            out.append(term)
    return out


@functools.lru_cache(maxsize=4096)
def _cached_terms(text: str) -> tuple[str, ...]:
    return tuple(_terms(fold(text)))


def analyze(text: str) -> list[str]:
    """Return the index terms of text, in order (the one analysis used everywhere)."""
    if len(text) <= 200:  # queries, titles and tags repeat; long bodies do not
        return list(_cached_terms(text))
    return _terms(fold(text))


class HubTokenizer(Tokenizer):
    """Whoosh tokenizer over `analyze`: one class, no filter chain, picklable with the schema."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = fold(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        if chars:
            items = segments(fold(value))
        else:
            items = [(term, 0, 0) for term in analyze(value)]
        for pos, (term, start, end) in enumerate(items, start_pos):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def analyzer() -> HubTokenizer:
    return HubTokenizer()
