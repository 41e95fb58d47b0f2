"""Shared test fixtures: a configured service on a real database, and the WSGI app under webtest.

The database comes from $COMPUTE_API_TEST_DB (an SQLAlchemy URL of a server database the tests may
create databases in, e.g. postgresql://postgres@127.0.0.1/postgres or
mysql+pymysql://root@127.0.0.1/); default: SQLite in a temporary directory. One database per test
session, built by the migrations; every test starts from the freshly migrated content.
"""
import os
import uuid

import pytest
import sqlalchemy as sa
import webtest

from compute_api import conf as conf_mod
from compute_api.db import models
from compute_api.db import store as store_mod

# skip_policy: under CI=true a skip is a failure unless allowed; pytester: its own tests.
pytest_plugins = ['pytester', 'tests.skip_policy']


def _create_server_database(admin_url):
    url = sa.engine.make_url(admin_url)
    name = 'compute_api_test_%s' % uuid.uuid4().hex[:12]
    engine = sa.create_engine(url, isolation_level='AUTOCOMMIT')
    with engine.connect() as conn:
        if url.get_backend_name() == 'mysql':
            conn.exec_driver_sql('CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' % name)
        else:
            conn.exec_driver_sql('CREATE DATABASE %s' % name)
    engine.dispose()
    return url.set(database=name), name


def _drop_server_database(admin_url, name):
    url = sa.engine.make_url(admin_url)
    engine = sa.create_engine(url, isolation_level='AUTOCOMMIT')
    with engine.connect() as conn:
        if url.get_backend_name() == 'postgresql':
            conn.exec_driver_sql('DROP DATABASE IF EXISTS %s WITH (FORCE)' % name)
        else:
            conn.exec_driver_sql('DROP DATABASE IF EXISTS %s' % name)
    engine.dispose()


@pytest.fixture(scope='session')
def database_url(tmp_path_factory):
    admin_url = os.environ.get('COMPUTE_API_TEST_DB')
    if not admin_url or admin_url.startswith('sqlite'):
        yield 'sqlite:///' + str(tmp_path_factory.mktemp('db') / 'compute.sqlite')
        return
    url, name = _create_server_database(admin_url)
    yield url.render_as_string(hide_password=False)
    _drop_server_database(admin_url, name)


@pytest.fixture(scope='session')
def migrated_store(database_url):
    """The session's database, migrated once; yields (store, seeded rows per table)."""
    store = store_mod.Store.from_url(database_url)
    store.migrate()
    with store.read() as conn:
        seeded = {table.name: [dict(r) for r in conn.execute(sa.select(table)).mappings()]
                  for table in models.metadata.sorted_tables}
    yield store, seeded
    store.dispose()


def reset_database(store, seeded):
    with store.write() as conn:
        for table in reversed(models.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in models.metadata.sorted_tables:
            if seeded[table.name]:
                conn.execute(table.insert(), seeded[table.name])


@pytest.fixture
def conf(tmp_path, database_url):
    conf = conf_mod.make_conf([])
    conf.set_override('state_path', str(tmp_path))
    conf.set_override('connection', database_url, group='database')
    conf.set_override('auto_sync', False, group='database')
    return conf


@pytest.fixture
def store(migrated_store):
    store, seeded = migrated_store
    reset_database(store, seeded)
    return store


@pytest.fixture
def services(conf, store):
    """The service; driver work runs on services.tasks (services.tasks.wait() waits for it), and
    whatever is still running when the test ends is waited for before the next one resets the
    database."""
    from compute_api import runtime as services_mod
    services = services_mod.build(conf, store=store)
    yield services
    services.stop()


@pytest.fixture
def app(services):
    from compute_api.api import deploy
    return webtest.TestApp(deploy.load_app(services))


class Client:
    """Requests as a given noauth user: client.get('/v2.1/servers', status=200)."""

    def __init__(self, testapp, user='demo', project='demo', version=None):
        self.testapp = testapp
        self.user, self.project = user, project
        self.version = version

    def as_user(self, user, project=None, version=None):
        return Client(self.testapp, user, project or user, version or self.version)

    def headers(self, extra=None):
        headers = {'X-Auth-Token': '%s:%s' % (self.user, self.project)}
        if self.version:
            headers['X-OpenStack-Nova-API-Version'] = self.version
        headers.update(extra or {})
        return headers

    def get(self, path, status=200, headers=None, **kw):
        return self.testapp.get(path, headers=self.headers(headers), status=status, **kw)

    def delete(self, path, status=204, headers=None, **kw):
        return self.testapp.delete(path, headers=self.headers(headers), status=status, **kw)

    def post(self, path, body=None, status=200, headers=None, **kw):
        if body is None:
            return self.testapp.post(path, headers=self.headers(headers), status=status, **kw)
        return self.testapp.post_json(path, body, headers=self.headers(headers), status=status, **kw)

    def put(self, path, body=None, status=200, headers=None, **kw):
        if body is None:
            return self.testapp.put(path, headers=self.headers(headers), status=status, **kw)
        return self.testapp.put_json(path, body, headers=self.headers(headers), status=status, **kw)


@pytest.fixture
def client(app):
    """A member of project 'demo' (user 'demo')."""
    return Client(app)


@pytest.fixture
def admin(app):
    """The noauth admin, in project 'admin'."""
    return Client(app, 'admin', 'admin')
