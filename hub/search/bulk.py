"""Rebuild the index in parallel: worker processes analyse and write segments, one writer commits them.

Each worker process takes a chunk of records (a few thousand entries), segments their text with jieba
and writes the chunk as one complete Whoosh segment, held in memory until it is flushed (a bounded
chunk never spills its postings to sorted runs on disk, which is where a single big writer spends its
time at 50,000 documents). The parent only reads the database and ships entries. Holding the one
writer lock, it then commits all the new segments in one TOC that replaces the old ones (CLEAR), so the
index switches at once. A process killed half-way leaves the old TOC in force; the segment files it
had written are referenced by no TOC and the next commit deletes them.

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
    gc.disable()  # millions of posting tuples: the cycle collector would rescan them all, repeatedly
    try:
        for kind, ident, entry in rows:
            writer.add_document(**to_fields(kind, ident, entry))
        return writer._finalize_segment()  # what Whoosh's own multiprocessing writer returns
    except BaseException:
        writer.cancel()
        raise
    finally:
        gc.enable()


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
