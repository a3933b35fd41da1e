"""The SQLite FTS5 reference for the search benchmark: the same documents and the same jieba tokens."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time


def _tokens(row: dict) -> tuple:
    from hub.search.analysis import analyze

    return row, " ".join(analyze(row["title"])), " ".join(analyze(row["body"]))


def fts5_build(path: str, rows, procs: int = 2) -> float:
    """Index the same analysed tokens in FTS5 (analysis in `procs` processes, as the Whoosh reindex does).

    Return documents per second, analysis included.
    """
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE meta (id INTEGER PRIMARY KEY, scope TEXT, kind TEXT, dept INTEGER, category TEXT,"
        " file_type TEXT)"
    )
    con.execute(
        'CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize="unicode61 remove_diacritics 0'
        " tokenchars '._-+#&%'\")"
    )
    rows = list(rows)
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        for row, title, body in pool.imap(_tokens, rows, chunksize=100):
            con.execute(
                "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)",
                (row["id"], row["scope"], "document", row["dept"], row["category"], row["file_type"]),
            )
            con.execute("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)", (row["id"], title, body))
    con.commit()
    con.close()
    return len(rows) / (time.perf_counter() - started)


def fts5_query(con, tokens: list[str], scopes: list[str]):
    """Top 10 with snippets, total and facets, trimmed to the reader's scopes, like the Whoosh path."""
    match = " AND ".join('"' + t.replace('"', "") + '"' for t in tokens)
    marks = ",".join("?" * len(scopes))
    where = f"fts MATCH ? AND meta.scope IN ({marks})"
    args = [match, *scopes]
    top = con.execute(
        f"SELECT meta.id, snippet(fts, 1, '<mark>', '</mark>', '…', 24) FROM fts JOIN meta ON"
        f" meta.id = fts.rowid WHERE {where} ORDER BY rank LIMIT 10",
        args,
    ).fetchall()
    facets = {}
    for column in ("kind", "dept", "category", "file_type"):
        facets[column] = con.execute(
            f"SELECT meta.{column}, count(*) FROM fts JOIN meta ON meta.id = fts.rowid"
            f" WHERE {where} GROUP BY meta.{column}",
            args,
        ).fetchall()
    return top, facets


def fts5_rows(db):
    """The benchmark's documents as FTS5 rows (scope as the Whoosh entries carry it)."""
    for d, text in corpus_rows(db):
        yield {
            "id": d.id,
            "title": d.title,
            "body": text,
            "dept": d.department_id,
            "category": d.category,
            "file_type": "pdf",
            "scope": "staff" if d.visibility == "staff" else f"dept:{d.department_id}",
        }


def corpus_rows(db):
    from hub.models import Document, DocumentPage

    pages: dict[int, list[str]] = {}
    for version_id, text in db.session.execute(db.select(DocumentPage.version_id, DocumentPage.text)):
        pages.setdefault(version_id, []).append(text)
    for doc in db.session.scalars(db.select(Document)):
        yield doc, "\n".join([doc.description, *pages.get(doc.current_version_id, [])])
