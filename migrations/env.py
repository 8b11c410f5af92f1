"""Alembic's entry point, run by `flask db ...`: migrate the app's database (Flask-Migrate)."""

import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
# Keep the app's loggers (the throttles' warnings, say) when migrations run in its process.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    # Flask-SQLAlchemy 3.1 deprecates get_engine(); calling it first would warn on every run.
    return current_app.extensions["migrate"].db.engine


def get_engine_url():
    # "%" would be read as interpolation by Alembic's config parser.
    return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")


config.set_main_option("sqlalchemy.url", get_engine_url())
target_metadata = current_app.extensions["migrate"].db.metadatas[None]


def run_migrations_offline():
    """Write the SQL of the migrations (`flask db upgrade --sql`) without a database."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run the migrations on the app's database."""

    def process_revision_directives(context, revision, directives):
        # `flask db migrate` with no change in the models writes no empty migration.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    with get_engine().connect() as connection, foreign_keys_off(connection):
        context.configure(connection=connection, target_metadata=target_metadata, **conf_args)

        with context.begin_transaction():
            context.run_migrations()


@contextmanager
def foreign_keys_off(connection):
    """On SQLite, let the migrations rebuild tables without deleting the rows that refer to them.

    To change a column SQLite copies the table, drops the old one and renames the copy
    (Alembic's batch mode). With foreign keys on, as the app has them, dropping `users` would
    cascade and delete every plan. The pragma only works outside a transaction, and the
    connection goes back to the pool afterwards, so it is turned on again whatever happens.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()  # end SQLAlchemy's implicit transaction: the migrations begin their own
    try:
        yield
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left rows that point nowhere: {broken[:5]}")
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
