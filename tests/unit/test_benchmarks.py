"""The benchmark harness's own logic: reading wrk's output and writing the report."""
import pytest

from benchmarks import load
from benchmarks import run

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:40000/v2.1/servers/detail?limit=100
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   180.12ms   40.50ms   1.20s    90.00%
    Req/Sec    22.10      5.00    30.00     80.00%
  Latency Distribution
     50%  167.25ms
     75%  190.00ms
     90%  220.00ms
     99%    1.20s
  44 requests in 2.00s, 5.80MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:     21.99
Transfer/sec:      2.90MB
"""


def test_wrk_output_is_read_with_its_units():
    result = load.parse_wrk(WRK_OUTPUT)
    assert (result.requests, result.seconds) == (44, 2.0)
    assert (result.p50_ms, result.p99_ms) == (167.25, 1200.0)
    assert result.errors == 3 + 3  # non-2xx answers and socket errors
    assert result.rps == 22.0


def test_microsecond_latencies_and_no_errors():
    out = WRK_OUTPUT.replace('167.25ms', '612.00us').replace('1.20s\n  44', '1.50ms\n  44')
    out = '\n'.join(line for line in out.splitlines() if 'errors' not in line and 'Non-2xx' not in line)
    result = load.parse_wrk(out)
    assert (result.p50_ms, result.p99_ms, result.errors) == (0.612, 1.5, 0)


def test_unreadable_wrk_output_is_an_error_not_a_zero():
    with pytest.raises(RuntimeError, match="cannot read wrk's output"):
        load.parse_wrk('unable to connect to 127.0.0.1:40000 Connection refused\n')


def _row(scenario, cpu_ms, size=None, **extra):
    return dict({'db': 'sqlite', 'server': 'eventlet', 'scenario': scenario, 'size': size, 'requests': 100,
                 'seconds': 1.0, 'rps': 100.0, 'p50_ms': 1.0, 'p99_ms': 2.0, 'cpu_ms': cpu_ms, 'errors': 0,
                 'driver': 'wrk'}, **extra)


def test_the_report_gives_ratios_to_the_floor_and_the_page_cost():
    rows = [_row('floor', 0.1), _row('versions', 0.3, round_trips=0, queries=0),
            _row('detail', 6.0, 1000, round_trips=4, queries=2), _row('detail', 6.6, 100000, round_trips=4, queries=2)]
    run.add_floor_ratios(rows)
    assert rows[1]['cpu_x_floor'] == 3.0
    report = {'started': '2026-01-01 00:00 UTC', 'quick': False, 'read_windows': 3, 'driver': 'wrk',
              'load_average': [0.5, 0.6], 'results': rows, 'page_cost': run.page_cost_ratios(rows),
              'memory': [{'db': 'sqlite', 'server': 'eventlet', 'rss_mb': 60.0, 'floor_rss_mb': 40.0}],
              'notes': ['show: skipped, GET /v2.1/servers/x answers 404'],
              'machine': {'cpu': 'test cpu', 'cores': 2, 'memory_gb': 4, 'os': 'linux', 'python': '3.11'}}
    assert report['page_cost'] == [{'db': 'sqlite', 'server': 'eventlet', 'small': 1000, 'large': 100000,
                                    'ratio': 1.1}]
    text = run.markdown(report)
    assert '| server CPU per request | target | nova-api 34, quoted* | sqlite / eventlet |' in text
    assert '\\* nova-api 34 is quoted, not measured here: the reference figures of issue 7' in text
    assert '| GET / | ≤ 0.15 ms, ≤ 4× floor | 1.45 ms | 0.3 ms (3.0×) |' in text
    assert ('| GET /servers/detail, page of 100 (1,000 servers) | ≤ 6 ms, ≤ 4 queries | ~215 ms '
            '| 6.0 ms (60.0×), 4 round trips (2 queries) |') in text
    assert '| detail | sqlite | eventlet | 1,000 | 6.0 | 60.0 | 6.0 | 1.0 | 2.0 | 100.0 | 4 | 2 | 0 |' in text
    assert '1.1× (100,000 vs 1,000)' in text
    assert '- show: skipped, GET /v2.1/servers/x answers 404' in text


def _smoke_report(rows):
    return {'plan': run.planned(['sqlite'], ['eventlet'], [100], ['versions', 'show', 'create']), 'results': rows}


def _all_planned_rows():
    return [_row('floor', 0.1), _row('versions', 0.2), _row('show', 0.5, 100), _row('create', 2.0, 100)]


def test_a_smoke_run_that_measured_everything_planned_passes():
    assert run.smoke_failures(_smoke_report(_all_planned_rows())) == []


def test_a_smoke_run_fails_on_a_failed_or_skipped_scenario_or_request_errors():
    # A scenario that raised or whose route answered 404 leaves no row (only a note).
    rows = [row for row in _all_planned_rows() if row['scenario'] != 'show']
    assert run.smoke_failures(_smoke_report(rows)) == ['show at 100 servers (sqlite/eventlet) did not run']
    rows = _all_planned_rows()
    rows[3]['errors'] = 2
    assert run.smoke_failures(_smoke_report(rows)) == ['create at 100 servers (sqlite/eventlet) had 2 failed requests']
    # A whole combination that failed (its server did not start): every measurement is missing.
    assert len(run.smoke_failures(_smoke_report([]))) == 4
