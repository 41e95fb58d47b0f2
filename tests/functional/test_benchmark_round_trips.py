"""benchmarks/round_trips.py counts a request's database round trips: every statement, BEGIN,
COMMIT/ROLLBACK and pool pre-ping, not only its queries (on the suite's database)."""
import pytest
import sqlalchemy as sa
import webtest

from benchmarks import round_trips
from compute_api.api import deploy

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
COUNT = {'X-Bench-Count-SQL': '1', 'X-Auth-Token': 'demo:demo'}
LISTENERS = [('before_cursor_execute', round_trips._count_statement), ('begin', round_trips._count_begin),
             ('commit', round_trips._count_transaction_control), ('rollback', round_trips._count_transaction_control),
             ('engine_connect', round_trips._count_pings)]


@pytest.fixture
def counted(services):
    app = webtest.TestApp(round_trips.count_round_trips(deploy.load_app(services)))
    yield app
    for name, listener in LISTENERS:
        sa.event.remove(sa.engine.Engine, name, listener)


def counts(resp):
    return int(resp.headers[round_trips.ROUND_TRIPS_HEADER]), int(resp.headers[round_trips.QUERIES_HEADER])


def test_a_show_is_its_queries_plus_transaction_control_and_the_ping(counted, services):
    server = counted.post_json('/v2.1/servers', {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'}},
                               headers={'X-Auth-Token': 'demo:demo'}, status=202).json['server']['id']
    services.tasks.wait()
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)
    sa.event.listen(services.store.engine, 'before_cursor_execute', record)
    try:
        resp = counted.get('/v2.1/servers/%s' % server, headers=COUNT)
    finally:
        sa.event.remove(services.store.engine, 'before_cursor_execute', record)
    trips, queries = counts(resp)
    # The server row and its metadata/addresses/volumes (README): two queries, in one read
    # transaction (its BEGIN, but MySQL's drivers send none, and its end); the PostgreSQL and
    # MariaDB pools also ping the connection they hand out.
    assert queries == len(statements) == 2, statements
    begin = 0 if services.store.dialect == 'mysql' else 1
    ping = 0 if services.store.dialect == 'sqlite' else 1
    assert trips == queries + begin + 1 + ping


def test_requests_without_the_header_are_not_counted(counted):
    resp = counted.get('/v2.1/flavors', headers={'X-Auth-Token': 'demo:demo'})
    assert round_trips.ROUND_TRIPS_HEADER not in resp.headers
    assert counts(counted.get('/', headers=COUNT)) == (0, 0)
