"""The instances quota holds under concurrent creates on real server processes and PostgreSQL.

A project with quota instances = 10 sends 20 rounds of 50 parallel POST /servers (the servers
of the previous round deleted in between). In every round exactly 10 creates are accepted, every
other one is nova's quota fault, nothing is a 5xx, the live rows never exceed 10 (a watcher polls
the database throughout), and GET /limits reports as used exactly the live rows.

The server is compute_api.wsgi under gunicorn, several worker processes with several threads
each, so creates really run at the same time in different transactions. (The eventlet
development server would not test this: psycopg waits in C, so its green threads run one
database conversation at a time.)
"""
import os
import threading
import time

import pytest
import sqlalchemy as sa

from tests import conftest as functional
from tests.integration import conftest as integration
from tests.integration import rest
from tests.integration import server as server_mod

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
PROJECT = 'quota-race'
MEMBER = {'X-Auth-Token': 'racer:%s' % PROJECT}
ADMIN = {'X-Auth-Token': 'admin:admin'}
QUOTA, ROUNDS, PARALLEL = 10, 20, 50
REFUSAL = 'Quota exceeded for instances: Requested 1, but already used 10 of 10 instances'
DEFAULT_POSTGRESQL = 'postgresql://postgres@127.0.0.1:5432/postgres'


@pytest.fixture
def postgresql_url():
    """A fresh database on the PostgreSQL of $COMPUTE_API_TEST_DB (or the local default)."""
    admin_url = os.environ.get('COMPUTE_API_TEST_DB', '')
    if not admin_url.startswith('postgresql'):
        admin_url = DEFAULT_POSTGRESQL
    try:
        url, name = functional._create_server_database(admin_url)
    except sa.exc.OperationalError as exc:
        integration.unavailable('PostgreSQL at %s' % admin_url, exc)
    yield url
    functional._drop_server_database(admin_url, name)


@pytest.fixture
def compute(tmp_path, postgresql_url):
    database = {'connection': postgresql_url.render_as_string(hide_password=False), 'auto_sync': 'false'}
    server = server_mod.GunicornServer(tmp_path / 'state', workers=4, threads=8, name='compute-api-quota-race',
                                       extra_config={'database': database})
    try:
        server.manage('db', 'sync')
        server.start()
    except Exception as exc:
        server.stop()
        integration.unavailable('compute-api under gunicorn on PostgreSQL', exc)
    yield server
    server.stop()


def call(compute, method, path, body=None, headers=MEMBER, timeout=60):
    return rest.request(method, compute.base_url + '/v2.1' + path, body, headers, timeout=timeout)


def live_rows(engine):
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(sa.table('instances', sa.column('project_id'),
                                                                            sa.column('deleted')))
                            .where(sa.column('project_id') == PROJECT)
                            .where(sa.column('deleted') == sa.false())).scalar()


class Watcher(threading.Thread):
    """Polls the live rows of the project until stopped; keeps the largest count seen."""

    def __init__(self, engine):
        super().__init__(daemon=True)
        self.engine = engine
        self.most = 0
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.002):
            self.most = max(self.most, live_rows(self.engine))


def create_in_parallel(compute):
    """PARALLEL creates released together; [(status, body)]."""
    start = threading.Barrier(PARALLEL)
    results = [None] * PARALLEL

    def create(index):
        body = {'server': {'name': 'racer-%d' % index, 'imageRef': IMAGE, 'flavorRef': '1'}}
        start.wait()
        resp = call(compute, 'POST', '/servers', body)
        results[index] = (resp.status, resp.json())

    threads = [threading.Thread(target=create, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def delete_all(compute, server_ids):
    for server_id in server_ids:
        resp = call(compute, 'DELETE', '/servers/%s' % server_id)
        assert resp.status == 204, (resp.status, resp.body)
    deadline = time.monotonic() + 30
    while call(compute, 'GET', '/servers').json()['servers']:
        assert time.monotonic() < deadline, 'deleted servers still listed after 30 s'
        time.sleep(0.05)


def test_parallel_creates_never_exceed_the_instances_quota(compute, postgresql_url):
    resp = call(compute, 'PUT', '/os-quota-sets/%s' % PROJECT, {'quota_set': {'instances': QUOTA}}, headers=ADMIN)
    assert resp.status == 200, (resp.status, resp.body)
    engine = sa.create_engine(postgresql_url)
    watcher = Watcher(engine)
    watcher.start()
    try:
        for round_number in range(ROUNDS):
            results = create_in_parallel(compute)
            statuses = sorted(status for status, _body in results)
            assert statuses == [202] * QUOTA + [403] * (PARALLEL - QUOTA), (round_number, statuses)
            refusals = {body['forbidden']['message'] for status, body in results if status == 403}
            assert refusals == {REFUSAL}, (round_number, refusals)
            used = call(compute, 'GET', '/limits').json()['limits']['absolute']['totalInstancesUsed']
            assert used == live_rows(engine) == QUOTA, round_number
            delete_all(compute, [body['server']['id'] for status, body in results if status == 202])
            assert live_rows(engine) == 0
    finally:
        watcher.done.set()
        watcher.join()
        engine.dispose()
    assert watcher.most == QUOTA
