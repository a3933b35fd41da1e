"""gunicorn settings for the floor app: gunicorn.conf.py's own values (worker class, worker count, bind,
timeouts), without its hooks, which look after Hub's Socket.IO workers and LibreOffice.

    gunicorn -c bench/floor_gunicorn.py bench.floor_app:app
"""

import runpy
from pathlib import Path

_HUB = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
_HOOKS = {"on_starting", "post_worker_init", "worker_exit", "child_exit"}

globals().update({k: v for k, v in _HUB.items() if not k.startswith("_") and k not in _HOOKS and not callable(v)})
