"""The database: engine, transactions, migrations.

SQLite (the embedded default), PostgreSQL and MariaDB/MySQL are supported. read() gives a
connection in a transaction that is rolled back at the end; write() one that commits (on SQLite
it starts with BEGIN IMMEDIATE so writers of other processes queue on the busy timeout instead
of failing on a lock upgrade; those of this process queue on a lock first).
"""
import contextlib
import datetime
import importlib.resources
import logging
import os
import random
import threading
import time

import sqlalchemy as sa

from compute_api import conf as conf_mod

LOG = logging.getLogger(__name__)
SQLITE_BUSY_TIMEOUT_MS = 30000

# The revision of the newest migration (compute_api/migrations/versions/), so that a server whose schema is
# already there starts without alembic (~10 MB per process); tests/unit/test_migrations.py checks
# it against alembic's head.
SCHEMA_HEAD = '0004'


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def migrations_dir():
    """The alembic directory, package data of compute_api (so found from any kind of install)."""
    return str(importlib.resources.files('compute_api') / 'migrations')


def _sqlite_setup(engine):
    @sa.event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's begin event emit BEGIN itself (pysqlite's own transaction handling
        # would defer it and break IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA foreign_keys = ON')
        cursor.execute('PRAGMA busy_timeout = %d' % SQLITE_BUSY_TIMEOUT_MS)
        cursor.execute('PRAGMA journal_mode = WAL')
        cursor.execute('PRAGMA synchronous = NORMAL')
        cursor.close()

    @sa.event.listens_for(engine, 'begin')
    def _on_begin(connection):
        write = connection.get_execution_options().get('compute_api_write')
        # Straight to the driver: transaction control needs none of a statement's machinery.
        connection.connection.driver_connection.execute('BEGIN IMMEDIATE' if write else 'BEGIN')


DEADLOCK_RETRIES = 5


def is_deadlock(exc):
    """Whether a DBAPIError says the database rolled the transaction back to break a deadlock (or,
    on PostgreSQL, a serialization failure): the transaction may simply be run again."""
    orig = getattr(exc, 'orig', None)
    if getattr(orig, 'sqlstate', None) in ('40P01', '40001'):  # psycopg
        return True
    args = getattr(orig, 'args', ())
    return bool(args) and args[0] == 1213  # MariaDB/MySQL ER_LOCK_DEADLOCK


class Store:
    def __init__(self, engine):
        self.engine = engine
        self.dialect = engine.dialect.name
        # SQLite runs one writer at a time. This process's writers queue on a lock (green under
        # eventlet) rather than in SQLite's busy handler, which sleeps between retries: a build
        # finishing behind a create then waits for the create's commit, not for a sleep.
        self._writers = threading.Lock() if self.dialect == 'sqlite' else contextlib.nullcontext()

    @classmethod
    def from_url(cls, url, pool_size=10):
        url = sa.engine.make_url(url)
        if url.get_backend_name() == 'sqlite':
            database = url.database
            if database and database != ':memory:':
                os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)
            engine = sa.create_engine(url, connect_args={'check_same_thread': False},
                                      pool_size=pool_size, max_overflow=pool_size * 2, pool_timeout=60)
            _sqlite_setup(engine)
        else:
            engine = sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size * 2,
                                      pool_pre_ping=True, pool_recycle=3600, pool_timeout=60)
        return cls(engine)

    @classmethod
    def from_conf(cls, conf):
        return cls.from_url(conf_mod.database_url(conf), conf.database.max_pool_size)

    @contextlib.contextmanager
    def read(self):
        with self.engine.connect() as connection:
            with connection.begin():
                yield connection

    @contextlib.contextmanager
    def write(self):
        with self._writers, self.engine.connect() as connection:
            connection.execution_options(compute_api_write=True)
            with connection.begin():
                yield connection

    def transact(self, work, *args, retry_duplicate=False):
        """work(connection, *args) in a write transaction, run again when the database picked it
        as the victim of a deadlock (nova's retry_on_deadlock; up to DEADLOCK_RETRIES more times)
        and, with `retry_duplicate`, when it failed a unique constraint (an upsert that lost the
        race to insert a row: run again, it finds the row and updates it).
        `work` must do nothing but its statements, so that running it again is harmless."""
        for attempt in range(DEADLOCK_RETRIES + 1):
            try:
                with self.write() as connection:
                    return work(connection, *args)
            except sa.exc.DBAPIError as exc:
                retry = is_deadlock(exc) or (retry_duplicate and isinstance(exc, sa.exc.IntegrityError))
                if attempt == DEADLOCK_RETRIES or not retry:
                    raise
                LOG.info('Deadlock in %s, running it again (%d)', getattr(work, '__name__', work), attempt + 1)
                time.sleep(random.uniform(0, 0.01 * 2 ** attempt))

    # -- migrations ---------------------------------------------------------------------------
    # alembic is imported only by what migrates or asks alembic itself.

    def _alembic_config(self, connection):
        from alembic import config as alembic_config
        config = alembic_config.Config()
        config.set_main_option('script_location', migrations_dir())
        config.attributes['connection'] = connection
        return config

    def migrate(self, revision='head'):
        from alembic import command as alembic_command
        with self.engine.begin() as connection:
            alembic_command.upgrade(self._alembic_config(connection), revision)

    def downgrade(self, revision):
        from alembic import command as alembic_command
        with self.engine.begin() as connection:
            alembic_command.downgrade(self._alembic_config(connection), revision)

    def current_revision(self):
        """The schema's revision, read from alembic's table (None for a database never migrated)."""
        with self.engine.connect() as connection:
            if not sa.inspect(connection).has_table('alembic_version'):
                return None
            return connection.exec_driver_sql('SELECT version_num FROM alembic_version').scalar()

    def at_head(self):
        return self.current_revision() == SCHEMA_HEAD

    def head_revision(self):
        """The newest revision as alembic finds it in the migrations directory."""
        from alembic import config as alembic_config
        from alembic import script as alembic_script
        config = alembic_config.Config()
        config.set_main_option('script_location', migrations_dir())
        return alembic_script.ScriptDirectory.from_config(config).get_current_head()

    def dispose(self):
        self.engine.dispose()
