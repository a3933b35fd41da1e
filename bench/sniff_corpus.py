"""Upload acceptance over a folder of real files: hub's sniff() on every file, grouped by extension.

Prints, per extension, how many files are accepted (by type) and refused (by reason), then the totals.
No database, no server: only the type decision that the upload API makes.
Usage: .venv/bin/python bench/sniff_corpus.py [FOLDER] (default ../shared/corpus)
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub import create_app  # noqa: E402
from hub.documents.sniff import Refused, extension, sniff  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    args = parser.parse_args()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    groups: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with app.test_request_context("/?lang=en"):
        for path in sorted(p for p in Path(args.folder).rglob("*") if p.is_file()):
            ext = extension(path.name) or "(none)"
            try:
                groups[ext][f"accepted {sniff(str(path), path.name).file_type}"] += 1
            except Refused as exc:
                groups[ext][f"refused {exc.status}: {exc}"] += 1
    totals = collections.Counter()
    for ext in sorted(groups, key=lambda e: -sum(groups[e].values())):
        counts = groups[ext]
        print(f".{ext}: {sum(counts.values())} files")
        for outcome, n in counts.most_common():
            print(f"    {n:5d}  {outcome}")
            totals["accepted" if outcome.startswith("accepted") else "refused"] += n
    print(f"total: {sum(totals.values())} files, {totals['accepted']} accepted, {totals['refused']} refused")


if __name__ == "__main__":
    main()
