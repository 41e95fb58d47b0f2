"""Under CI=true a skipped test is a failed one, unless ALLOWED_SKIPS names it with its reason.

Outside CI a skip stays a skip (a laptop without libvirt-python or qemu-img still runs the rest),
and every stage of tools/run-tests prints its skips (-rs). Loaded by tests/conftest.py for every
pytest run under tests/; a module-level skip (pytest.importorskip) fails its module's collection.
"""
import os

import pytest

# test node id -> the one reason it may skip with, and why that skip is right. Keep this short:
# every entry is a test that cannot mean anything on some database, never a missing tool.
ALLOWED_SKIPS = {
    # SQLite serialises its writers, so two transactions cannot deadlock there; the test runs on
    # PostgreSQL and MariaDB.
    'tests/functional/test_store_deadlock.py::test_both_sides_of_a_real_deadlock_commit':
        'SQLite runs one writer at a time: its transactions cannot deadlock',
    # The plan is read from SQLite's EXPLAIN QUERY PLAN; PostgreSQL's and MariaDB's planners pick
    # by table statistics, so a plan there says nothing stable about the query.
    'tests/functional/test_servers_queries.py::test_a_page_is_an_index_range_scan_without_a_sort':
        'the plan is checked on SQLite, whose planner does not depend on table statistics',
}


def in_ci():
    return os.environ.get('CI') == 'true'


def skip_reason(report):
    """The message a skip report carries (pytest keeps (path, line, 'Skipped: message'))."""
    if isinstance(report.longrepr, tuple):
        message = report.longrepr[2]
    else:
        message = str(report.longrepr)
    return message[len('Skipped: '):] if message.startswith('Skipped: ') else message


def allowed(nodeid, reason):
    return ALLOWED_SKIPS.get(nodeid.split('[')[0]) == reason


def _fail(report, what):
    reason = skip_reason(report)
    report.outcome = 'failed'
    report.longrepr = ('%s skipped under CI=true (%s); add it to tests/skip_policy.py ALLOWED_SKIPS '
                       'with a comment if that skip is right' % (what, reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (in_ci() and report.skipped and not hasattr(report, 'wasxfail')
            and not allowed(report.nodeid, skip_reason(report))):
        _fail(report, report.nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped:
        _fail(report, report.nodeid or 'collection')
