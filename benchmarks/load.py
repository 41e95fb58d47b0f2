"""Load drivers, on 127.0.0.1 only and bounded in time (and, for the Python driver, in count).

wrk (Debian's package) drives the read scenarios when it is installed: it is written in C, so it
leaves the second core to the server. The Python driver (urllib3, one thread and one keep-alive
connection per client) drives the rest — creates, polling to ACTIVE, mixed traffic — and the
read scenarios where wrk is missing.
"""
import dataclasses
import re
import shutil
import subprocess
import threading
import time

import urllib3

TOKEN = 'bench:bench'
HEADERS = {'X-Auth-Token': TOKEN, 'Accept': 'application/json'}
COUNT_SQL_HEADER = 'X-Bench-Count-SQL'


@dataclasses.dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies_ms: list = dataclasses.field(default_factory=list)  # Python driver only
    p50_ms: float = None
    p99_ms: float = None
    errors: int = 0

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    def finish(self):
        if self.latencies_ms:
            ordered = sorted(self.latencies_ms)
            self.p50_ms = percentile(ordered, 50)
            self.p99_ms = percentile(ordered, 99)
        return self


def percentile(ordered, pct):
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, int(round(pct / 100.0 * (len(ordered) - 1))))]


class Client:
    """One keep-alive connection to the server under test."""

    def __init__(self, port):
        self.pool = urllib3.HTTPConnectionPool('127.0.0.1', port, maxsize=1, block=True, retries=False,
                                               timeout=urllib3.Timeout(connect=5, read=60))

    def request(self, method, path, body=None, count_sql=False):
        """`count_sql`: ask the benchmark app for the request's database round trips and queries
        (headers)."""
        headers = dict(HEADERS)
        if body is not None:
            headers['Content-Type'] = 'application/json'
        if count_sql:
            headers[COUNT_SQL_HEADER] = '1'
        return self.pool.request(method, path, body=body, headers=headers)

    def close(self):
        self.pool.close()


def wrk_available():
    return shutil.which('wrk') is not None


_WRK_UNITS = {'us': 0.001, 'ms': 1.0, 's': 1000.0, 'm': 60000.0, 'h': 3600000.0}


def _wrk_ms(text):
    value, unit = re.fullmatch(r'([\d.]+)(us|ms|s|m|h)', text).groups()
    return float(value) * _WRK_UNITS[unit]


def run_wrk(port, path, seconds, connections):
    """wrk for `seconds` (whole seconds, at least 1) with `connections` keep-alive connections."""
    command = ['wrk', '-t1', '-c%d' % connections, '-d%ds' % max(1, round(seconds)), '--latency',
               '--timeout', '30s', '-H', 'X-Auth-Token: %s' % TOKEN, '-H', 'Accept: application/json',
               'http://127.0.0.1:%d%s' % (port, path)]
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60,
                                    check=True).stdout)


def parse_wrk(out):
    """Requests, duration, p50/p99 and errors (non-2xx/3xx answers and socket errors) from the
    output of `wrk --latency`."""
    done = re.search(r'(\d+) requests in ([\d.]+)(us|ms|s|m|h)', out)
    percentiles = dict(re.findall(r'^\s*(50|99)(?:\.0+)?%\s+([\d.]+(?:us|ms|s|m|h))\s*$', out, re.M))
    if not done or set(percentiles) != {'50', '99'}:
        raise RuntimeError('cannot read wrk\'s output:\n' + out)
    errors = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    socket_errors = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', out)
    return LoadResult(requests=int(done.group(1)), seconds=_wrk_ms(done.group(2) + done.group(3)) / 1000.0,
                      p50_ms=_wrk_ms(percentiles['50']), p99_ms=_wrk_ms(percentiles['99']),
                      errors=(int(errors.group(1)) if errors else 0)
                      + (sum(map(int, socket_errors.groups())) if socket_errors else 0))


def run_clients(port, operation, clients, seconds, max_requests):
    """`clients` threads each calling operation(client) -> bool ok until `seconds` pass or
    `max_requests` have been sent in all."""
    result = LoadResult(requests=0, seconds=0.0)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    budget = [max_requests]

    def worker():
        client = Client(port)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                started = time.perf_counter()
                ok = operation(client)
                elapsed = (time.perf_counter() - started) * 1000.0
                with lock:
                    result.requests += 1
                    result.latencies_ms.append(elapsed)
                    result.errors += 0 if ok else 1
        finally:
            client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    result.seconds = time.perf_counter() - started
    return result.finish()


def get_operation(path):
    def operation(client):
        return client.request('GET', path).status == 200
    return operation
