"""Alembic environment: runs on the connection compute_api hands over (Store.migrate), or on
sqlalchemy.url from alembic.ini when run with the alembic CLI."""
from alembic import context
from sqlalchemy import engine_from_config, pool

from compute_api.db import models

config = context.config
target_metadata = models.metadata


def run(connection):
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == 'sqlite', compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get('connection')
if connection is not None:
    run(connection)
else:
    engine = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.',
                                poolclass=pool.NullPool)
    with engine.connect() as conn:
        run(conn)
