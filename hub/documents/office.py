"""Office files -> PDF with headless LibreOffice: a warm process reached over UNO, or a cold `soffice`.

Both run with their own profile folder (office_profile.py: no macros, no link updates, no remote
content), a timeout, and are killed (the whole process group) when they hang. A warm conversion that
fails other than by a timeout is tried once more on a fresh LibreOffice, then cold: a LibreOffice just
restarted after a kill sometimes crashes the next conversion, and that file is not at fault. Warm: one `soffice --accept=pipe` per worker
process, kept running and restarted after a failure or every RECYCLE_AFTER conversions; each
conversion is Debian's python3 running uno_convert.py (the venv has no uno). Cold: one `soffice
--convert-to pdf` per file, the fallback when python3-uno is missing or PREVIEW_WARM_OFFICE is off
(the default under TESTING, so tests leave no LibreOffice running). `stop_for_exit()` ends the warm
LibreOffice when the process stops (SIGTERM/SIGINT in app.py, `flask worker`, gunicorn's worker_exit).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import itertools
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
from . import office_profile

log = logging.getLogger("hub.documents")

SYSTEM_PYTHON = "/usr/bin/python3"
UNO_SCRIPT = Path(__file__).with_name("uno_convert.py")
RECYCLE_AFTER = 200
START_TIMEOUT = 30
SUFFIX = {t: t for t in ("docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp", "rtf")}


class ConversionFailed(Exception):
    """The message is shown to people (render turns it into PreviewFailed)."""


class ConversionTimedOut(ConversionFailed):
    """The file kept LibreOffice busy past the timeout: the file's doing, so it is not tried again."""


class OfficeStopped(BaseException):  # noqa: N818 - not an error: the process is exiting
    """Hub is stopping: no new LibreOffice; the job is left to the next start's crash recovery.

    A BaseException, so no `except Exception` marks the preview failed on the way out.
    """


_EXITING = threading.Event()
_PIPES = itertools.count()
_COLD: set[Path] = set()  # profiles of this process's running cold conversions, stopped on exit


def _soffice() -> str:
    return shutil.which("soffice") or "soffice"


def _timed_out(timeout: float) -> ConversionTimedOut:
    return ConversionTimedOut(_("Converting the file took longer than %(n)d seconds and was stopped.", n=timeout))


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
    return bool(current_app.config["PREVIEW_WARM_OFFICE"]) and uno_available()


def _linked_input(work: Path, source: Path, file_type: str) -> Path:
    # LibreOffice picks its import filter partly by suffix; the suffix comes from the sniffed type.
    src = work / f"input.{SUFFIX[file_type]}"
    os.symlink(source, src)
    return src


def cold_convert(source: Path, file_type: str, out_pdf: Path, timeout: float) -> None:
    handle, profile = office_profile.acquire(_profiles_dir())
    _COLD.add(profile)
    try:
        with tempfile.TemporaryDirectory(prefix="hub-office-") as work:
            src = _linked_input(Path(work), source, file_type)
            args = [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                    "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                    "--convert-to", "pdf", "--outdir", work, str(src)]
            try:
                result = run_program(args, timeout=timeout, env=_env(profile), cwd=work)
            except ProgramError:
                raise _timed_out(timeout) from None
            produced = Path(work) / "input.pdf"
            if result.returncode != 0 or not produced.exists() or produced.stat().st_size == 0:
                log.warning("soffice failed (%s): %s", result.returncode, result.stderr[-500:])
                raise ConversionFailed(_("The file could not be converted; it may be damaged or protected by a password."))
            out_pdf.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), out_pdf)
    finally:
        _COLD.discard(profile)
        office_profile.release(handle)


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
        if _EXITING.is_set():
            raise OfficeStopped
        self.handle, profile = office_profile.acquire(self.base)
        # A new pipe name each start: a client must never reach a LibreOffice that is being killed.
        self.pipe = f"hub-{os.getpid()}-{profile.name}-{next(_PIPES)}"
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
            office_profile.release(self.handle)
            self.handle = None

    def convert(self, source: Path, file_type: str, out_pdf: Path, timeout: float, fresh: bool = False) -> None:
        with self.lock:
            if fresh or self.proc is None or self.proc.poll() is not None or self.used >= RECYCLE_AFTER:
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
                        raise _timed_out(timeout) from None
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


def shutdown() -> None:
    """Stop every warm LibreOffice of this process (the next conversion starts a new one)."""
    with _WARM_LOCK:
        for office in _WARM.values():
            office.stop()
        _WARM.clear()


@atexit.register
def stop_for_exit() -> None:
    """The process is ending: stop every warm LibreOffice and start none again."""
    _EXITING.set()
    shutdown()
    for profile in list(_COLD):
        office_profile.kill_orphans(profile)


def _warm(source: Path, file_type: str, out_pdf: Path, timeout: float) -> bool:
    """Convert warm, once more on a fresh LibreOffice if that fails; False when both failed."""
    office = warm_office()
    for fresh in (False, True):
        try:
            office.convert(source, file_type, out_pdf, timeout, fresh=fresh)
            return True
        except ConversionTimedOut:
            raise
        except ConversionFailed as exc:
            if _EXITING.is_set():
                raise OfficeStopped from None  # the failure is our own shutdown killing LibreOffice
            log.warning("warm conversion of %s failed (%s)%s", source.name, exc, "" if fresh else "; trying a fresh LibreOffice")
    return False


def to_pdf(source: Path, file_type: str, out_pdf: Path, timeout: float) -> str:
    """Convert; return which way ("warm" or "cold"). Raises ConversionFailed with a reason."""
    if warm_enabled():
        if _warm(source, file_type, out_pdf, timeout):
            return "warm"
        log.warning("converting %s cold after two warm failures", source.name)
    cold_convert(source, file_type, out_pdf, timeout)
    return "cold"
