"""Production entry point for gunicorn's gevent worker: `gunicorn -c gunicorn.conf.py wsgi:app`.

gevent must patch the standard library before anything else is imported.
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

os.environ.setdefault("HUB_ASYNC_MODE", "gevent")
os.environ["HUB_PRODUCTION"] = "1"

from hub import create_app  # noqa: E402

app = create_app()
