"""Consistent backups while the app serves, and restore into an empty instance.

A backup is a folder: `manifest.json`, one JSON-lines file per table (read in one
transaction, so the rows agree with each other), and `uploads/` (content-addressed
files never change once written, so copying them beside a live server is safe; the
manifest lists the ones the database refers to). The format does not depend on the
database: a SQLite backup restores into PostgreSQL and the reverse. The search index
is not saved; restore rebuilds it.
"""

import json
import logging
import os
import shutil
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import Date, DateTime, Integer, create_engine, func, inspect, select, text

from ..extensions import db

log = logging.getLogger("hub.ops")
FORMAT = "hub-backup/1"


def _encode(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decoder(column):
    if isinstance(column.type, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column.type, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


def _deferred_columns(table) -> set[str]:
    """Columns whose foreign key closes a cycle (use_alter): written after every row exists."""
    return {fk.parent.name for fk in table.foreign_keys if fk.use_alter or (fk.constraint is not None and fk.constraint.use_alter)}


def write_backup(target: Path) -> dict:
    """Write a backup into the empty or missing folder `target`; return the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise ValueError(f"{target} is not empty")
    (target / "tables").mkdir(parents=True, exist_ok=True)
    counts = {}
    with _snapshot_engine(target) as engine, engine.connect() as connection, connection.begin():
        for table in db.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            with (target / "tables" / f"{table.name}.jsonl").open("w", encoding="utf-8") as out:
                n = 0
                for row in rows:
                    out.write(json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
                    n += 1
            counts[table.name] = n
        has_version = inspect(connection).has_table("alembic_version")
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar() if has_version else None
    copied = _copy_uploads(Path(current_app.config["UPLOAD_DIR"]), target / "uploads")
    manifest = {"format": FORMAT, "created": datetime.now().isoformat(timespec="seconds"), "alembic_revision": revision, "tables": counts, "upload_files": copied}
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


@contextmanager
def _snapshot_engine(target: Path):
    """Yield an engine whose reads all see one moment of the database, while writers go on."""
    if db.engine.dialect.name == "sqlite":
        # SQLite's online backup API copies a consistent image; read the copy, then drop it.
        snapshot = target / ".snapshot.sqlite"
        source = db.engine.raw_connection()
        try:
            dest = sqlite3.connect(snapshot)
            source.driver_connection.backup(dest)
            dest.close()
        finally:
            source.close()
        engine = create_engine(f"sqlite:///{snapshot}")
        try:
            yield engine
        finally:
            engine.dispose()
            snapshot.unlink(missing_ok=True)
    else:
        yield db.engine.execution_options(isolation_level="REPEATABLE READ")


def _copy_uploads(source: Path, target: Path) -> int:
    copied = 0
    if not source.exists():
        return copied
    for path in source.rglob("*"):
        if path.is_file() and not path.name.startswith(".") and ".tmp" not in path.name:
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
            copied += 1
    return copied


def _is_empty() -> bool:
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if connection.execute(select(func.count()).select_from(table)).scalar():
                return False
    return True


def restore_backup(source: Path) -> dict:
    """Load a backup into this instance's migrated, empty database and uploads folder."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{source} is not a Hub backup")
    if not _is_empty():
        raise ValueError("the target database is not empty: restore only into an empty instance")
    deferred_updates = []
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            path = source / "tables" / f"{table.name}.jsonl"
            if not path.exists():
                continue
            decoders = {c.name: _decoder(c) for c in table.columns}
            deferred = _deferred_columns(table)
            batch = []
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    row = {k: decoders[k](v) for k, v in json.loads(line).items() if k in decoders}
                    later = {k: row[k] for k in deferred if row.get(k) is not None}
                    if later:
                        deferred_updates.append((table, row, later))
                        row = row | dict.fromkeys(later)
                    batch.append(row)
                    if len(batch) == 500:
                        connection.execute(table.insert(), batch)
                        batch = []
            if batch:
                connection.execute(table.insert(), batch)
        for table, row, later in deferred_updates:
            key = [c == row[c.name] for c in table.primary_key.columns]
            # Keep columns with an onupdate default (updated_at) as they were, not "now".
            kept = {c.name: row[c.name] for c in table.columns if c.onupdate is not None and c.name in row}
            connection.execute(table.update().where(*key).values(**later, **kept))
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    uploads = Path(current_app.config["UPLOAD_DIR"])
    restored = _copy_uploads(source / "uploads", uploads)
    os.sync()
    return {"tables": manifest["tables"], "upload_files": restored}


def _reset_sequences(connection) -> None:
    """PostgreSQL: move each id sequence past the restored ids."""
    for table in db.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].autoincrement in (True, "auto") and isinstance(pk[0].type, Integer):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                    f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
                )
            )
