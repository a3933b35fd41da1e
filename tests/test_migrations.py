"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from hub import create_app
from hub.extensions import db


def test_upgrade_from_empty_matches_models(tmp_path):
    """`flask db upgrade` on an empty database gives a schema with no differences from the models."""
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
        "INSTANCE_DIR": str(tmp_path), "UPLOAD_DIR": str(tmp_path / "u"), "INDEX_DIR": str(tmp_path / "i"),
    })
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"render_as_batch": True}), db.metadata)
        db.engine.dispose()
    assert diff == []
