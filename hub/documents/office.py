"""Office files -> PDF with headless LibreOffice: a warm process reached over UNO, or a cold `soffice`.

Both run with their own profile folder (macros disabled, untrusted links blocked), a timeout, and are
killed (the whole process group) when they hang. Warm: one `soffice --accept=pipe` per worker
process, kept running and restarted after a failure or every RECYCLE_AFTER conversions; each
conversion is Debian's python3 running uno_convert.py (the venv has no uno). Cold: one `soffice
--convert-to pdf` per file, the fallback when python3-uno is missing or PREVIEW_WARM_OFFICE is off
(the default under TESTING, so tests leave no LibreOffice running).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import functools
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ..jobs import ProgramError, run_program

log = logging.getLogger("hub.documents")

SYSTEM_PYTHON = "/usr/bin/python3"
UNO_SCRIPT = Path(__file__).with_name("uno_convert.py")
RECYCLE_AFTER = 200
START_TIMEOUT = 30
SLOTS = 8

MACRO_FREE_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""

SUFFIX = {t: t for t in ("docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp", "rtf")}


class ConversionFailed(Exception):
    """The message is shown to people (render turns it into PreviewFailed)."""


def _soffice() -> str:
    return shutil.which("soffice") or "soffice"


def _acquire_profile(base: Path, block: bool = True):
    """Lock a free profile slot (one LibreOffice per profile); return (lock handle, profile folder)."""
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
            settings = profile / "user" / "registrymodifications.xcu"
            if not settings.exists():
                settings.parent.mkdir(parents=True, exist_ok=True)
                settings.write_text(MACRO_FREE_PROFILE)
            return handle, profile
        if not block:
            return None, None
        time.sleep(0.2)


def _release(handle) -> None:
    with contextlib.suppress(OSError):
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _profiles_dir() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "libreoffice"


def _env(profile: Path) -> dict:
    return dict(os.environ, HOME=str(profile), SAL_USE_VCLPLUGIN="svp")


@functools.cache
def uno_available() -> bool:
    try:
        return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def warm_enabled() -> bool:
    wanted = current_app.config.get("PREVIEW_WARM_OFFICE", not current_app.config.get("TESTING"))
    return bool(wanted) and uno_available()


def _linked_input(work: Path, source: Path, file_type: str) -> Path:
    # LibreOffice picks its import filter partly by suffix; the suffix comes from the sniffed type.
    src = work / f"input.{SUFFIX[file_type]}"
    os.symlink(source, src)
    return src


def cold_convert(source: Path, file_type: str, out_pdf: Path, timeout: float) -> None:
    handle, profile = _acquire_profile(_profiles_dir())
    try:
        with tempfile.TemporaryDirectory(prefix="hub-office-") as work:
            src = _linked_input(Path(work), source, file_type)
            args = [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                    "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                    "--convert-to", "pdf", "--outdir", work, str(src)]
            try:
                result = run_program(args, timeout=timeout, env=_env(profile), cwd=work)
            except ProgramError:
                raise ConversionFailed(_("Converting the file took longer than %(n)d seconds and was stopped.", n=timeout)) from None
            produced = Path(work) / "input.pdf"
            if result.returncode != 0 or not produced.exists() or produced.stat().st_size == 0:
                log.warning("soffice failed (%s): %s", result.returncode, result.stderr[-500:])
                raise ConversionFailed(_("The file could not be converted; it may be damaged or protected by a password."))
            out_pdf.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), out_pdf)
    finally:
        _release(handle)


def _kill_orphans(profile: Path) -> None:
    """Kill any LibreOffice still using this profile: we hold its lock, so its owner died (e.g. SIGKILL)."""
    marker = profile.as_uri().encode()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker in cmdline.read_bytes():
                pid = int(cmdline.parent.name)
                os.kill(pid, signal.SIGKILL)
                log.warning("killed LibreOffice %s left behind by a dead worker", pid)
        except (OSError, ValueError):
            continue


class WarmOffice:
    """One LibreOffice kept running for this process and profile folder base."""

    def __init__(self, base: Path):
        self.base = base
        self.lock = threading.Lock()
        self.proc: subprocess.Popen | None = None
        self.handle = None
        self.pipe = ""
        self.used = 0

    def _start(self) -> None:
        self.handle, profile = _acquire_profile(self.base)
        _kill_orphans(profile)
        self.pipe = f"hub-{os.getpid()}-{profile.name}"
        args = [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
                "--nolockcheck", "--nodefault", "--nologo", f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext"]
        self.proc = subprocess.Popen(args, env=_env(profile), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        self.used = 0
        log.info("warm LibreOffice started (pid %s, %s)", self.proc.pid, profile)

    def stop(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc = None
        if self.handle is not None:
            _release(self.handle)
            self.handle = None

    def convert(self, source: Path, file_type: str, out_pdf: Path, timeout: float) -> None:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None or self.used >= RECYCLE_AFTER:
                self.stop()
                self._start()
            self.used += 1
            deadline = time.monotonic() + timeout + START_TIMEOUT
            with tempfile.TemporaryDirectory(prefix="hub-office-") as work:
                src = _linked_input(Path(work), source, file_type)
                target = Path(work) / "output.pdf"
                while True:
                    left = deadline - time.monotonic()
                    try:
                        result = run_program([SYSTEM_PYTHON, str(UNO_SCRIPT), self.pipe, str(src), str(target)],
                                             timeout=max(1.0, min(timeout, left)))
                    except ProgramError:
                        self.stop()  # a document that hangs LibreOffice: kill it, start afresh next time
                        raise ConversionFailed(_("Converting the file took longer than %(n)d seconds and was stopped.", n=timeout)) from None
                    if result.returncode != 2:
                        break
                    if self.proc.poll() is not None or time.monotonic() > deadline:
                        self.stop()
                        raise ConversionFailed(_("The document converter is not available."))
                    time.sleep(0.1)  # still starting
                if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
                    log.warning("warm conversion failed (%s): %s", result.returncode, result.stderr[-500:])
                    raise ConversionFailed(_("The file could not be converted; it may be damaged or protected by a password."))
                out_pdf.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(target), out_pdf)


_WARM: dict[str, WarmOffice] = {}
_WARM_LOCK = threading.Lock()


def warm_office() -> WarmOffice:
    base = _profiles_dir()
    with _WARM_LOCK:
        office = _WARM.get(str(base))
        if office is None:
            office = _WARM[str(base)] = WarmOffice(base)
        return office


@atexit.register
def shutdown() -> None:
    """Stop every warm LibreOffice of this process."""
    with _WARM_LOCK:
        for office in _WARM.values():
            office.stop()
        _WARM.clear()


def to_pdf(source: Path, file_type: str, out_pdf: Path, timeout: float) -> str:
    """Convert; return which way ("warm" or "cold"). Raises ConversionFailed with a reason."""
    if warm_enabled():
        warm_office().convert(source, file_type, out_pdf, timeout)
        return "warm"
    cold_convert(source, file_type, out_pdf, timeout)
    return "cold"
