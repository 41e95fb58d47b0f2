"""The compute application as benchmarked: compute_api.wsgi's application (configured from
$COMPUTE_API_CONFIG), answering a request that carries X-Bench-Count-SQL with the number of SQL
statements it ran (X-Bench-SQL-Statements). Only the probe requests before a timed load ask, so
the counting costs the timed requests nothing but a header lookup.

    gunicorn -w 2 benchmarks.app:application

Statements are counted per thread (green thread under eventlet), so work a request hands to the
background (a build finishing) is not charged to it; transaction control (BEGIN, COMMIT, ...) is
not counted. Only the benchmark loads this module: the product code carries no counter.
"""
import threading

import sqlalchemy as sa

from compute_api import wsgi

SQL_HEADER = 'X-Bench-SQL-Statements'
COUNT_ENVIRON = 'HTTP_X_BENCH_COUNT_SQL'  # the request header X-Bench-Count-SQL
_TRANSACTION_CONTROL = ('BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE')

_current = threading.local()


def _count_statement(conn, cursor, statement, parameters, context, executemany):
    if getattr(_current, 'statements', None) is not None and \
            not statement.lstrip()[:10].upper().startswith(_TRANSACTION_CONTROL):
        _current.statements += 1


def count_statements(app):
    sa.event.listen(sa.engine.Engine, 'before_cursor_execute', _count_statement)

    def counted(environ, start_response):
        if COUNT_ENVIRON not in environ:
            return app(environ, start_response)
        _current.statements = 0

        def start(status, headers, exc_info=None):
            headers.append((SQL_HEADER, str(_current.statements)))
            return start_response(status, headers, exc_info)
        try:
            return app(environ, start)
        finally:
            _current.statements = None
    return counted


application = count_statements(wsgi.application)
