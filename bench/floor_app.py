"""The floor of a load run: the least a Flask + SQLAlchemy + Jinja page costs on this machine.

One table, one page listing 20 of its rows through a template. bench_load.py serves it under the same
server and settings as Hub (app.py's threaded Werkzeug via socketio.run, or gunicorn.conf.py) on the
same kind of database (DATABASE_URL, else SQLite in HUB_INSTANCE), and reports Hub as a ratio to it.

    python bench/floor_app.py init                      # create and fill the table (once, before serving)
    python bench/floor_app.py serve --host H --port P   # as app.py serves Hub
    gunicorn -c gunicorn.conf.py bench.floor_app:app    # as `make serve` serves Hub
"""

import argparse
import os
from pathlib import Path

from flask import Flask, render_template
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROWS = 20

PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
<ul>{% for row in rows %}<li><a href="/items/{{ row.id }}">{{ row.title }}</a> <small>{{ row.owner }}</small></li>{% endfor %}</ul>
</body></html>"""


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class FloorItem(Base):
    __tablename__ = "bench_floor_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(100))


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    instance = Path(os.environ.get("HUB_INSTANCE") or ".")
    return f"sqlite:///{(instance / 'floor.db').resolve()}"


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url()
    app.jinja_loader = DictLoader({"floor.html": PAGE})  # a loaded template, compiled once as Hub's are
    db.init_app(app)

    @app.get("/")
    def index():
        rows = db.session.scalars(select(FloorItem).order_by(FloorItem.id).limit(ROWS)).all()
        return render_template("floor.html", title="文档", rows=rows)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def init_db(app: Flask) -> None:
    with app.app_context():
        db.create_all()
        if db.session.scalar(select(FloorItem.id).limit(1)) is None:
            db.session.add_all(FloorItem(title=f"销售通产品手册 第{i}版", owner="王磊") for i in range(1, ROWS + 1))
            db.session.commit()


app = create_app()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["init", "serve"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5001)
    args = parser.parse_args()
    if args.command == "init":
        init_db(app)
        return
    # The server app.py runs Hub on: Flask-SocketIO's threading mode starts Werkzeug's threaded server.
    socketio = SocketIO(app, async_mode="threading")
    socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    main()
