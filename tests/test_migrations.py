"""The Alembic migrations build exactly the schema the models describe."""

import os

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from toekomstplan.extensions import db


def test_migrations_upgrade_an_empty_database_to_match_the_models(empty_app):
    with empty_app.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert tables == {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            assert context.get_current_revision() is not None
            differences = compare_metadata(context, db.metadata)
        dialect = db.engine.dialect.name
    assert differences == [], f"models and migrations differ on {dialect}"


def test_migrations_run_on_the_database_the_suite_uses(empty_app):
    expected = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    with empty_app.app_context():
        assert db.engine.dialect.name == expected
