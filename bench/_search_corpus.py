"""A generated corpus for the search benchmark: Chinese and English documents of about 800 characters.

Chinese words come from jieba's own dictionary (the 30,000 most frequent words of two to four
characters), English words from a list of business and software terms; both are drawn with a
Zipf-like law, so a few words are everywhere and most are rare, as in real text. Product codes
and numbers are mixed in. Deterministic for a seed.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import jieba

ENGLISH = """account action agent alert analysis answer api application approval archive audit backup
balance bandwidth batch billing branch broker budget bug build bundle cache campaign capacity catalog channel
checkout client cloud cluster code commission compliance config connector contract conversion cost coupon crm
customer dashboard data database deadline deal delivery demo deploy design device discount dispatch document
domain driver email endpoint engine enterprise error escalation event export feature feedback field filter
firewall forecast form funnel gateway goal growth guide hardware health help host incident index integration
inventory invoice issue key kpi latency lead license limit load log login loyalty maintenance manager margin
market media meeting memory message metric migration mobile model module monitor network node notification
offer onboarding order partner payment performance pipeline plan platform plugin policy portal price pricing
priority process product profile project promotion proposal protocol proxy quality query queue quota quote
rate record region release renewal report request resource response retention revenue review risk role route
rule sales schedule schema script search security segment server service session setting shipment sign-off
sla snapshot software solution source spend sprint stack storage strategy subscription supplier support survey
sync system target task team template tenant territory test ticket timeline token tool traffic training
transaction trial upgrade upload usage user vendor version visit volume warehouse webhook workflow workload
zone onsite renewal pilot rollout benchmark throughput availability failover replica shard upsell churn
""".split()
CODES = ["X200", "X200-Pro", "CRM-3", "V2.5", "SF100", "K8s", "AI-Box", "ERP9", "M365", "P40"]
TAGS = [
    "CRM",
    "实施",
    "竞品",
    "报价",
    "案例",
    "培训",
    "渠道",
    "售后",
    "部署",
    "安全",
    "pricing",
    "onboarding",
]
CATEGORIES = ["product", "competitor", "industry", "pricing", "case_study", "other"]
FILE_TYPES = ["pdf", "docx", "pptx", "xlsx", "txt"]


def _chinese_vocab(limit: int = 30_000) -> list[str]:
    path = Path(jieba.__file__).parent / "dict.txt"
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and 2 <= len(parts[0]) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in parts[0]):
            words.append((int(parts[1]), parts[0]))
    words.sort(reverse=True)
    return [w for _f, w in words[:limit]]


def _zipf(n: int, s: float = 1.0, offset: int = 20) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + offset) ** s for rank in range(n)))


class Corpus:
    def __init__(self, seed: int = 11, chinese_share: float = 0.8):
        self.rng = random.Random(seed)
        self.zh = _chinese_vocab()
        self.en = ENGLISH
        self.zh_cum = _zipf(len(self.zh))
        self.en_cum = _zipf(len(self.en), offset=5)
        self.chinese_share = chinese_share
        self._chars: list[int] = []

    @property
    def mean_chars(self) -> float:
        return sum(self._chars) / max(1, len(self._chars))

    def _zh_sentence(self) -> str:
        words = self.rng.choices(self.zh, cum_weights=self.zh_cum, k=self.rng.randint(6, 14))
        if self.rng.random() < 0.25:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(CODES + self.en[:60]))
        if self.rng.random() < 0.15:
            words.insert(self.rng.randrange(len(words)), str(self.rng.randint(1, 99999)))
        return "".join(words) + self.rng.choice("，。；。")

    def _en_sentence(self) -> str:
        words = self.rng.choices(self.en, cum_weights=self.en_cum, k=self.rng.randint(8, 16))
        if self.rng.random() < 0.2:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(CODES))
        return " ".join(words).capitalize() + ". "

    def _text(self, chinese: bool, chars: int) -> str:
        parts, size = [], 0
        while size < chars:
            part = self._zh_sentence() if chinese else self._en_sentence()
            parts.append(part)
            size += len(part)
        return "".join(parts)

    def documents(self, n: int):
        """Yield n documents: title, description, tags, category, file type, pages (about 800 characters)."""
        for _ in range(n):
            chinese = self.rng.random() < self.chinese_share
            if chinese:
                title = "".join(self.rng.choices(self.zh, cum_weights=self.zh_cum, k=self.rng.randint(2, 4)))
            else:
                title = " ".join(
                    self.rng.choices(self.en, cum_weights=self.en_cum, k=self.rng.randint(3, 6))
                ).title()
            body = self._text(chinese, 740)
            cut = [0, *sorted(self.rng.sample(range(50, len(body) - 50), self.rng.randint(0, 2))), len(body)]
            pages = [body[a:b] for a, b in zip(cut, cut[1:], strict=False)]
            description = self._text(chinese, 40)[:60]
            self._chars.append(len(body) + len(description) + len(title))
            yield {
                "title": title,
                "description": description,
                "pages": pages,
                "body": body,
                "tags": ",".join(self.rng.sample(TAGS, self.rng.randint(0, 3))),
                "category": self.rng.choice(CATEGORIES),
                "file_type": self.rng.choice(FILE_TYPES),
            }

    def query(self, rng: random.Random, n_terms: int) -> str:
        """A query of n words as people type them: mostly Chinese, mid-frequency words."""
        if rng.random() < self.chinese_share:
            return " ".join(rng.choice(self.zh[30:3000]) for _ in range(n_terms))
        return " ".join(rng.choice(self.en[10:]) for _ in range(n_terms))


def real_corpus_texts(root: Path, limit_chars: int = 200_000) -> list[tuple[str, str]]:
    """(title, text) of the Markdown and text files under root/zh and root/en, when present."""
    texts = []
    for sub in ("zh", "en"):
        folder = root / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in (".md", ".txt", ".markdown") and path.is_file():
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")[:limit_chars]
                except OSError:
                    continue
                texts.append((path.stem, text))
    return texts
