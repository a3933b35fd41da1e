"""Shared fixtures: a real app on a temp instance, real database, people of every role."""

import os
import re
from dataclasses import dataclass, field

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from hub import create_app
from hub.auth import services
from hub.extensions import db

PASSWORD = "correct-horse-9"
IN_CI = os.environ.get("CI") == "true"
# `make test` runs the suite once on SQLite and once with this set to the machine's PostgreSQL.
TEST_DATABASE_URL = os.environ.get("HUB_TEST_DATABASE_URL")


def _database_per_worker(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own PostgreSQL database (test_gw0, ...), made on demand."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base, _, name = url.rpartition("/")
    own = f"{name}_{worker}"
    try:
        import psycopg

        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True, connect_timeout=5) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own,)).fetchone():
                conn.execute(f'CREATE DATABASE "{own}"')
    except Exception:  # noqa: BLE001 - the app fixture reports an unreachable server (fail in CI)
        return url
    return f"{base}/{own}"


TEST_DATABASE_URL = _database_per_worker(TEST_DATABASE_URL)


PG_SERVER = os.environ.get("HUB_TEST_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")


def postgres_url(own_database: str) -> str:
    """The suite's PostgreSQL (HUB_TEST_DATABASE_URL), else a database of the caller's own on the
    machine's server, made on demand (one per pytest-xdist worker: two workers' files would otherwise
    drop each other's tables)."""
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    own = f"{own_database}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own,)).fetchone():
                conn.execute(f'CREATE DATABASE "{own}"')
    except Exception as exc:  # noqa: BLE001 - any failure means the service is absent
        service_missing("PostgreSQL", str(exc))
    return f"{PG_SERVER.replace('postgresql://', 'postgresql+psycopg://', 1)}/{own}"


def service_missing(what: str, reason: str):
    """A needed service is absent: fail in CI (the machine must provide it), skip elsewhere."""
    message = f"{what} is not reachable: {reason}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


class FreshContextClient(FlaskClient):
    """Run each request in its own app context, as a server does.

    The test holds an app context for its own database work; without this, requests would
    share its `g` and its session and hide bugs (a cached CSRF token, objects never reloaded).
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()  # the test's own session sees what the request committed
        return response


@pytest.fixture
def instance(tmp_path):
    path = tmp_path / "instance"
    path.mkdir()
    return path


def app_config(instance, database_url: str | None = TEST_DATABASE_URL, **extra) -> dict:
    """A test app's settings: everything in the temp instance, SQLite unless a database URL is given."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_DIR": str(instance),
        "UPLOAD_DIR": str(instance / "uploads"),
        "INDEX_DIR": str(instance / "search_index"),
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{instance / 'hub.db'}",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        **extra,
    }


def serve_with_empty_database(app, url: str | None, search_tables: bool | None = None):
    """Yield `app` inside its context on freshly created tables, and drop them afterwards.

    url is the PostgreSQL database (None: the instance's own SQLite file, which nothing else shares).
    search_tables: None leaves the PostgreSQL search backend's tables alone; False drops them at
    both ends; True drops them and creates them empty too.
    """
    from hub.search import pg_models

    def drop() -> None:
        db.drop_all()
        if search_tables is not None:
            with db.engine.begin() as connection:
                pg_models.drop_all(connection)

    app.test_client_class = FreshContextClient
    with app.app_context():
        if url:
            try:
                db.session.execute(text("SELECT 1"))
            except Exception as exc:  # noqa: BLE001 - any connection failure means the service is absent
                service_missing("PostgreSQL", str(exc))
            drop()
        db.create_all()
        if search_tables:
            pg_models.metadata.create_all(db.engine)
        yield app
        db.session.remove()
        if url:
            drop()
        db.engine.dispose()


@pytest.fixture
def app(instance):
    yield from serve_with_empty_database(create_app(app_config(instance)), TEST_DATABASE_URL)


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class People:
    """Ids and raw tokens of one person per role, with two departments and two accounts."""

    ids: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    emails: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    accounts: dict = field(default_factory=dict)

    def auth(self, who: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
def people(app) -> People:
    """admin; staff (sales, dept A); expert (product, dept B); customer (account X); other_customer (account Y)."""
    result = People()
    spec = {
        "admin": dict(role="admin", job="management"),
        "staff": dict(role="staff", job="sales", department_name="销售通产品部"),
        "expert": dict(role="staff", job="product", department_name="智能客服产品部"),
        "service": dict(role="staff", job="service", department_name="智能客服产品部"),
        "customer": dict(role="customer", account_name="华东精密制造"),
        "other_customer": dict(role="customer", account_name="宏远物流"),
    }
    for who, options in spec.items():
        email = f"{who}@test.hub"
        user = services.create_user(email, who.replace("_", " ").title(), password=PASSWORD, **options)
        db.session.flush()
        result.ids[who] = user.id
        result.emails[who] = email
        result.tokens[who] = services.issue_token(user, "test")
        if user.account_id:
            result.accounts[who] = user.account_id
    from hub.models import Department

    for dept in db.session.scalars(db.select(Department)):
        result.departments["A" if dept.name == "销售通产品部" else "B"] = dept.id
    db.session.commit()
    return result


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """Read a CSRF token from a page the client can open."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no csrf token on {path}"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def login_as(client, people):
    """Sign the test client in as one of `people` and return the client."""

    def _login(who: str):
        response = login(client, people.emails[who])
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login
