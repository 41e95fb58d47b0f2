"""Database round trips per request, for the benchmark app (benchmarks/app.py).

A round trip is every statement a DBAPI cursor executes (queries, SAVEPOINT/RELEASE), every
BEGIN (where the driver sends one), COMMIT and ROLLBACK, and every pool pre-ping (the PostgreSQL
and MariaDB engines ping each connection they check out again). Queries are the cursor statements
other than transaction control. On SQLite a "round trip" is a call into the library, not a
network exchange; its BEGIN counts because the store emits it. Counts are per thread (green
thread under eventlet), so work a request hands to the background (a build finishing) is not
charged to it.
"""
import threading

import sqlalchemy as sa

ROUND_TRIPS_HEADER = 'X-Bench-DB-Round-Trips'
QUERIES_HEADER = 'X-Bench-SQL-Queries'
COUNT_ENVIRON = 'HTTP_X_BENCH_COUNT_SQL'  # the request header X-Bench-Count-SQL
_TRANSACTION_CONTROL = ('BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE')

_current = threading.local()


def _counting():
    return getattr(_current, 'round_trips', None) is not None


def _count_statement(conn, cursor, statement, parameters, context, executemany):
    if _counting():
        _current.round_trips += 1
        if not statement.lstrip()[:10].upper().startswith(_TRANSACTION_CONTROL):
            _current.queries += 1


def _count_transaction_control(conn, *args):
    # COMMIT and ROLLBACK go to the DBAPI connection, not through a cursor event.
    if _counting():
        _current.round_trips += 1


def _count_begin(conn):
    # SQLite's BEGIN is the store's, psycopg sends its own; MySQL's drivers send none (the server
    # opens the transaction with the first statement).
    if _counting() and conn.dialect.name != 'mysql':
        _current.round_trips += 1


def _count_pings(conn):
    """Wrap the engine's dialect's do_ping (the pool's pre-ping) once, so each ping counts."""
    dialect = conn.engine.dialect
    if getattr(dialect, '_bench_counts_pings', False):
        return
    ping = dialect.do_ping

    def counted_ping(dbapi_connection):
        if _counting():
            _current.round_trips += 1
        return ping(dbapi_connection)
    dialect.do_ping = counted_ping
    dialect._bench_counts_pings = True


def count_round_trips(app):
    """`app`, answering a request that carries X-Bench-Count-SQL with its counts (headers)."""
    sa.event.listen(sa.engine.Engine, 'before_cursor_execute', _count_statement)
    sa.event.listen(sa.engine.Engine, 'begin', _count_begin)
    for name in ('commit', 'rollback'):
        sa.event.listen(sa.engine.Engine, name, _count_transaction_control)
    sa.event.listen(sa.engine.Engine, 'engine_connect', _count_pings)

    def counted(environ, start_response):
        if COUNT_ENVIRON not in environ:
            return app(environ, start_response)
        _current.round_trips, _current.queries = 0, 0

        def start(status, headers, exc_info=None):
            headers.append((ROUND_TRIPS_HEADER, str(_current.round_trips)))
            headers.append((QUERIES_HEADER, str(_current.queries)))
            return start_response(status, headers, exc_info)
        try:
            return app(environ, start)
        finally:
            _current.round_trips = _current.queries = None
    return counted

