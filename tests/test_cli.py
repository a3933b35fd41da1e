"""The flask commands that scripts rely on."""

from sqlalchemy import func, select

from hub.extensions import db
from hub.models import CustomerAccount, Department, Question, User


def test_users_create_makes_account_and_department(app):
    """`users create` creates the named account or department when missing."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "c@x.hub", "--name", "客户甲", "--role", "customer", "--account", "甲公司", "--password", "long-pass-1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "create", "s@x.hub", "--name", "员工乙", "--role", "staff", "--department", "乙部门", "--password", "long-pass-1"])
    assert result.exit_code == 0, result.output
    customer = db.session.scalar(select(User).where(User.email == "c@x.hub"))
    assert customer.account.name == "甲公司"
    staff = db.session.scalar(select(User).where(User.email == "s@x.hub"))
    assert [m.department.name for m in staff.memberships] == ["乙部门"]


def test_users_create_refuses_bad_input_and_stores_nothing(app):
    """A short password, a bad role pairing or a duplicate e-mail fail with a message, storing nothing."""
    runner = app.test_cli_runner()
    bad = [
        ["users", "create", "a@x.hub", "--name", "A", "--role", "staff", "--password", "short"],
        ["users", "create", "b@x.hub", "--name", "B", "--role", "customer", "--password", "long-pass-1"],
        ["users", "create", "not-an-email", "--name", "C", "--role", "staff", "--password", "long-pass-1"],
    ]
    for args in bad:
        result = runner.invoke(args=args)
        assert result.exit_code != 0
        assert "Error" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(Department)) == 0


def test_users_token_prints_a_working_token_last(app, client):
    """`users token` prints a new token on its last line, and that token authenticates."""
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "create", "t@x.hub", "--name", "T", "--role", "admin", "--password", "long-pass-1"])
    result = runner.invoke(args=["users", "token", "t@x.hub"])
    assert result.exit_code == 0
    raw = result.output.strip().splitlines()[-1]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.get_json()["email"] == "t@x.hub"
    assert runner.invoke(args=["users", "token", "nobody@x.hub"]).exit_code != 0


def test_demo_load_is_idempotent(app):
    """`demo load` twice gives the same data: 4+ departments, 10+ staff, 3+ accounts with a VIP user each."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    counts = lambda: (  # noqa: E731
        db.session.scalar(select(func.count()).select_from(Department)),
        db.session.scalar(select(func.count()).select_from(User).where(User.role != "customer")),
        db.session.scalar(select(func.count()).select_from(CustomerAccount)),
        db.session.scalar(select(func.count()).select_from(Question)),
    )
    first = counts()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "already" in result.output
    assert counts() == first
    departments, staff, accounts, questions = first
    assert departments >= 4 and staff >= 10 and accounts >= 3 and questions >= 3
    for account in db.session.scalars(select(CustomerAccount)):
        assert any(u.role == "customer" for u in account.users)
