"""Hub's entry point: `python app.py --host H --port P` serves the app with Socket.IO.

Also the target of `flask --app app ...` and of gunicorn (`app:app`).
"""

import argparse
import signal
import sys

from hub import create_app
from hub.documents import office
from hub.extensions import socketio

app = create_app()


def _exit_on_signal(signum, _frame) -> None:
    # SIGTERM (systemd, docker) would end the process without atexit: unwind instead, so the finally
    # below stops the warm LibreOffice, which runs in its own session and would otherwise stay.
    sys.exit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve Hub (web pages, JSON API and Socket.IO).")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port to bind (default: 5000)")
    parser.add_argument("--debug", action="store_true", help="reload on code changes, show debug pages")
    args = parser.parse_args(argv)
    if not app.config["REDIS_URL"]:
        from hub import jobs

        jobs.start_worker(app)  # resume interrupted previews and indexing at once, not at the first request
    print(f"Hub is serving on http://{args.host}:{args.port}", flush=True)
    signal.signal(signal.SIGTERM, _exit_on_signal)  # only here: gunicorn imports this module too
    try:
        # The development server is Werkzeug; production uses gunicorn (`make serve`).
        socketio.run(app, host=args.host, port=args.port, debug=args.debug, allow_unsafe_werkzeug=True)
    finally:  # also after Ctrl-C (SIGINT)
        office.stop_for_exit()


if __name__ == "__main__":
    main()
