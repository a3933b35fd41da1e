"""Rebuild the index in parallel: worker processes analyse and write segments, one writer commits them.

Each worker process takes a chunk of records (a few thousand entries), segments their text with jieba
and writes the chunk as one complete Whoosh segment, held in memory until it is flushed (a bounded
chunk never spills its postings to sorted runs on disk, which is where a single big writer spends its
time at 50,000 documents). The parent only reads the database and ships entries. Holding the one
writer lock, it then commits all the new segments in one TOC that replaces the old ones (CLEAR), so the
index switches at once. A process killed half-way leaves the old TOC in force; the segment files it
had written are referenced by no TOC and the next commit deletes them.

Finishing a segment (sorting and writing the postings) is Whoosh's own code minus per-posting
overhead: postings kept in a plain list, sorted on one bytes key, lengths read from lists, the files'
positions counted rather than asked of the OS (`_finalize`); the segment holds the same postings.

`in_pool` is the pool itself (forked analysers, chunks, a bound on what waits in memory); the
PostgreSQL reindex uses it too, to turn entries into rows (pg_maintenance).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import partial
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

CHUNK_MAX = 5000  # entries per segment: few segments for queries, each still written in memory
CHUNK_MIN = 500
SEGMENT_MB = 1024  # a chunk's postings stay in memory (about 300 MB for 5,000 documents)

R = TypeVar("R")


def pool_size() -> int:
    """One analyser per core (the parent mostly waits on the database and the pipes)."""
    return max(1, min(os.cpu_count() or 1, 8))


def chunk_size(total: int, procs: int) -> int:
    """Give each process at least one chunk, and no segment more than CHUNK_MAX entries."""
    return max(CHUNK_MIN, min(CHUNK_MAX, -(-total // max(1, procs))))


def _start(words: list[str]) -> None:
    """In each worker: load jieba once and segment with the dictionary the index is built with."""
    from .analysis import segmenter, set_dictionary

    segmenter()
    set_dictionary(words)


def write_segment(path: str, rows: list[tuple]) -> object:
    """In a worker: write rows of (kind, id, Entry) as one new segment of the index at path; return it.

    The segment is not part of the index until the parent's commit lists it.
    """
    from .kinds import to_fields

    ix = whoosh_index.open_dir(path)
    writer = SegmentWriter(ix, _lk=False, limitmb=SEGMENT_MB)  # the parent holds the lock
    writer.pool = _MemoryPool()
    for structfile in (writer.fieldwriter._postfile, writer.fieldwriter._tindex.dbfile):
        structfile.file = _Positioned(structfile.file)
    gc.disable()  # millions of posting tuples: the cycle collector would rescan them all, repeatedly
    try:
        for kind, ident, entry in rows:
            writer.add_document(**to_fields(kind, ident, entry))
        return _finalize(writer)
    except BaseException:
        writer.cancel()
        raise
    finally:
        gc.enable()


class _Positioned:
    """A file being written that counts its own position: Whoosh asks for it a few times per term,
    and a buffered file's tell() is a system call each time."""

    def __init__(self, file):
        self._file = file
        self._pos = file.tell()

    def write(self, data) -> int:
        written = self._file.write(data)
        self._pos += written
        return written

    def tell(self) -> int:
        return self._pos

    def seek(self, *args) -> int:
        self._pos = self._file.seek(*args)
        return self._pos

    def __getattr__(self, name):
        return getattr(self._file, name)


class _MemoryPool:
    """A chunk's postings in one list, sorted once at the end: the chunk is bounded, so Whoosh's
    per-posting size accounting (for spilling sorted runs to disk) would never spill anything."""

    def __init__(self):
        self.postings: list[tuple] = []
        self.add = self.postings.append  # (fieldname, btext, docnum, weight, vbytes)

    def iter_postings(self) -> list[tuple]:
        """The postings in Whoosh's order. A field's postings of one term were added in document order
        and each (field, term, document) once, so sorting stably by field and term alone gives the
        order of sorting whole tuples; one bytes key compares faster than tuples do."""
        prefix = {name: name.encode("utf-8") + b"\0" for name in {p[0] for p in self.postings}}
        return sorted(self.postings, key=lambda p: prefix[p[0]] + p[1])

    def cleanup(self) -> None:
        self.postings = []


def _length_tables(reader) -> dict[str, list[int]]:
    """Each scored field's length in every document of the segment, as lists: Whoosh looks one up per
    posting while writing postings, and its column reader decodes the byte each time."""
    docs = range(reader.doc_count_all())
    return _LazyTables(lambda name: [reader.doc_field_length(d, name, 0) for d in docs])


class _LazyTables(dict):
    """A dict that builds a missing field's table on first use."""

    def __init__(self, make):
        super().__init__()
        self._make = make

    def __missing__(self, fieldname: str) -> list[int]:
        table = self[fieldname] = self._make(fieldname)
        return table


def _add_postings(fieldwriter, schema, lengths: dict | None, postings: list[tuple]) -> None:
    """FieldWriter.add_postings for sorted postings, handing each straight to the field's posting writer
    (Whoosh's loop re-checks the order and goes through two more calls per posting)."""
    lastfield = lasttext = None
    add = None
    for fieldname, btext, docnum, weight, value in postings:
        if fieldname != lastfield:
            if lasttext is not None:
                fieldwriter.finish_term()
            if lastfield is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            add = fieldwriter._postwriter.add_posting  # a new posting writer per field
            lastfield, lasttext = fieldname, None
            length_of = (lambda _docnum: 0) if lengths is None else lengths[fieldname].__getitem__
        if docnum == -1:  # Whoosh's marker for spelling words, which it skips too
            continue
        if btext != lasttext:
            if lasttext is not None:
                fieldwriter.finish_term()
            fieldwriter.start_term(btext)
            lasttext = btext
        add(docnum, weight, b"" if value is None else value, length_of(docnum))
    if lasttext is not None:
        fieldwriter.finish_term()
    if lastfield is not None:
        fieldwriter.finish_field()


def _finalize(writer: SegmentWriter) -> object:
    """SegmentWriter._finalize_segment, with the lengths read from lists; return the segment."""
    writer.perdocwriter.close()
    reader = writer.per_document_reader() if writer.codec.length_stats else None
    _add_postings(writer.fieldwriter, writer.schema, reader and _length_tables(reader), writer.pool.iter_postings())
    writer.fieldwriter.close()
    if reader:
        reader.close()
    writer._close_segment()
    writer._assemble_segment()
    return writer.get_segment()  # what Whoosh's own multiprocessing writer returns


def write_segments(
    path: str,
    rows: Iterable[tuple],
    total: int,
    words: list[str],
    procs: int,
) -> tuple[list, int]:
    """Write rows of (kind, id, Entry) as segments in `procs` processes; return (segments, entries)."""
    segments: list = []
    written = 0
    work = partial(write_segment, path)
    for segment, count in in_pool(work, rows, chunk_size(total, procs), words, procs):
        segments.append(segment)
        written += count
    return segments, written


def in_pool(
    work: Callable[[list], R], rows: Iterable[tuple], size: int, words: list[str], procs: int
) -> Iterator[tuple[R, int]]:
    """Hand rows to `procs` analyser processes in chunks of `size`; yield (work(chunk), len(chunk)) as chunks finish.

    `work` must be picklable (a module-level function, or a partial of one). At most procs + 1 chunks wait
    in memory; results come in completion order. An error in a worker is raised here, from the generator.
    """
    # Forked, as Whoosh's own multiprocessing writer does: the workers inherit the loaded segmenter and the
    # registered kinds, and touch neither the app's database connections nor its threads.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(procs, mp_context=context, initializer=_start, initargs=(words,))
    running: dict[Future, int] = {}

    def finished(block: bool) -> list[Future]:
        if block:
            return list(wait(running, return_when=FIRST_COMPLETED)[0])
        return [f for f in running if f.done()]

    try:
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= size:
                while len(running) > procs:  # bound the entries waiting in memory
                    for future in finished(block=True):
                        yield future.result(), running.pop(future)
                running[pool.submit(work, chunk)] = len(chunk)
                chunk = []
                for future in finished(block=False):
                    yield future.result(), running.pop(future)
        if chunk:
            running[pool.submit(work, chunk)] = len(chunk)
        while running:
            for future in finished(block=True):
                yield future.result(), running.pop(future)
    finally:  # also when the caller stops early or a chunk failed: drop the chunks not started
        pool.shutdown(wait=True, cancel_futures=True)
