"""LibreOffice profile folders shared by the warm and the cold path: one slot per running LibreOffice.

Each slot's registrymodifications.xcu holds the safety settings. The warm path also passes
MacroExecutionMode=NEVER_EXECUTE and UpdateDocMode=NO_UPDATE when it loads a file; `soffice
--convert-to` loads with "as configured" for both, so the profile must say never to the same things.
The settings are checked each time a slot is taken, because LibreOffice rewrites the file on exit.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import time
from pathlib import Path

log = logging.getLogger("hub.documents")

SLOTS = 8

_ITEM = '<item oor:path="/org.openoffice.Office.{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
SETTINGS = [
    # Macros: only from trusted locations (there are none), and never at all.
    ("Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("Common/Security/Scripting", "DisableMacrosExecution", "true"),
    # Remote content: no images or other links fetched for documents outside trusted locations.
    ("Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    # Link updates on load: never (Writer 0 = never; Calc 1 = never), and no formula recalculation,
    # which would run WEBSERVICE() and external references (0 = always, 1 = never).
    ("Writer/Content/Update", "Link", "0"),
    ("Calc/Content/Update", "Link", "1"),
    ("Calc/Formula/Load", "OOXMLRecalcMode", "1"),
    ("Calc/Formula/Load", "ODFRecalcMode", "1"),
]
ITEMS = [_ITEM.format(path=path, name=name, value=value) for path, name, value in SETTINGS]
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
"""
TAIL = "</oor:items>\n"


def settings_file(profile: Path) -> Path:
    return profile / "user" / "registrymodifications.xcu"


def ensure_settings(profile: Path) -> None:
    """Write the safety settings into the profile, keeping what LibreOffice stored there itself."""
    path = settings_file(profile)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if TAIL.strip() not in text:
        text = HEAD + TAIL
    kept = [line for line in text.splitlines(keepends=True)
            if not any(f'oor:path="/org.openoffice.Office.{p}"><prop oor:name="{n}"' in line for p, n, _v in SETTINGS)]
    text = "".join(kept)
    end = text.rindex(TAIL.strip())
    text = text[:end] + "".join(item + "\n" for item in ITEMS) + text[end:]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def acquire(base: Path, block: bool = True):
    """Lock a free slot (one LibreOffice per profile); return (lock handle, profile folder) with safe settings."""
    base.mkdir(parents=True, exist_ok=True)
    while True:
        for slot in range(SLOTS):
            handle = open(base / f"slot-{slot}.lock", "w")  # noqa: SIM115 - held while the profile is in use
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            profile = base / f"slot-{slot}"
            kill_orphans(profile)  # before touching its settings: nothing else may write them
            ensure_settings(profile)
            return handle, profile
        if not block:
            return None, None
        time.sleep(0.2)


def release(handle) -> None:
    with contextlib.suppress(OSError):
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def users(profile: Path) -> list[int]:
    """Pids of the processes started with this profile (LibreOffice, or the soffice wrapper)."""
    marker = profile.as_uri().encode()
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except (OSError, ValueError):
            continue
    return found


def kill_orphans(profile: Path) -> None:
    """Kill any LibreOffice still using this profile: we hold its lock, so its owner died (e.g. SIGKILL)."""
    for pid in users(profile):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            log.warning("killed LibreOffice %s still using %s (its owner is gone or stopping)", pid, profile.name)
