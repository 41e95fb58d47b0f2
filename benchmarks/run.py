"""Run the benchmarks and write the report (Markdown table, JSON, PNG plot).

    python -m benchmarks.run                     # every scenario, SQLite and PostgreSQL, eventlet and gunicorn
    python -m benchmarks.run --quick             # a few seconds: SQLite, eventlet, 100 servers (CI's smoke)
    python -m benchmarks.run --db sqlite --server eventlet --servers 100,1000 --scenarios show,detail

For each database and server software: the floor app (a bare webob app with a 2 KB body) is served
and measured first, then the compute app on a fresh database, its table seeded up to each size in
turn. The server's CPU time per request comes from its process accounting (all its processes:
gunicorn's master and workers), not from wall time; latency and req/s from the load driver; database
round trips and queries per request from the benchmark build of the app (benchmarks/app.py). Everything runs on
127.0.0.1, bounded in time and count. No figure is asserted: the report says what was measured (--quick, CI's
smoke, fails when a planned measurement did not run or had failed requests).
"""
import argparse
import datetime
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import psutil
import sqlalchemy as sa

from benchmarks import load
from benchmarks import round_trips
from benchmarks import seed

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_PG = 'postgresql://postgres@127.0.0.1:5432/postgres'
BENCH_DATABASE = 'compute_api_bench'
FLAVOR = '1'
CREATE_BODY = json.dumps({'server': {'name': 'bench-new', 'imageRef': seed.IMAGE, 'flavorRef': FLAVOR}})

# name -> (what it is, target CPU ms per request or None)
SCENARIOS = {
    'floor': ('GET / of the bare webob app (2 KB JSON)', None),
    'versions': ('GET /', 0.15),
    'flavors': ('GET /v2.1/flavors/detail', 0.5),
    'show': ('GET /v2.1/servers/{id}', 0.6),
    'detail': ('GET /v2.1/servers/detail?limit=100', 6.0),
    'create': ('POST /v2.1/servers (CPU includes the build to ACTIVE)', 3.0),
    'mixed': ('70% GET /servers/{id}, 20% POST /servers, 10% DELETE', None),
}
TABLE_SCENARIOS = ('show', 'detail', 'create', 'mixed')  # measured at every table size
# The summary's nova-api column is typed in, never measured by this harness: say so beside it.
NOVA_QUOTED = ('nova-api 34 is quoted, not measured here: the reference figures of issue 7 (nova-api 34 under '
               'uwsgi with 2 workers, server CPU per request, on a 2-core machine of this kind; its floor row '
               'is a bare webob app under uwsgi and eventlet.wsgi), copied into this report on 2026-11-23.')
PLOT_TITLES = {'show': 'GET /servers/{id}', 'detail': 'GET /servers/detail, 100 per page',
               'create': 'POST /servers (CPU incl. build)', 'mixed': 'mixed 70% GET / 20% POST / 10% DELETE'}


class Settings:
    def __init__(self, quick):
        self.quick = quick
        self.read_seconds = 1 if quick else 2
        # GETs run in several windows and the one with the least CPU per request is reported: on
        # a shared machine the other windows measured the neighbours as much as the server.
        self.read_windows = 1 if quick else 3
        self.connections = 2 if quick else 4
        self.create_count = 10 if quick else 200
        self.active_samples = 3 if quick else 20
        self.mixed_seconds = 1 if quick else 5
        self.mixed_max = 60 if quick else 3000
        self.max_python_requests = 2000 if quick else 50000
        self.probe_requests = 5


# -- the server under test -----------------------------------------------------------------------

class Server:
    """A server process (eventlet: one process; gunicorn: a master and 2 workers) on 127.0.0.1."""

    def __init__(self, kind, app, env, log_path):
        self.kind, self.app = kind, app
        self.log = open(log_path, 'ab')
        if kind == 'eventlet':
            command = [sys.executable, '-m', 'benchmarks.serve', app]
            self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=self.log)
            line = self.process.stdout.readline()
            if not line.strip():
                self.stop()
                raise RuntimeError('the %s server did not start (see %s)' % (app, log_path))
            self.port = int(line)
        else:
            self.port = _free_port()
            target = 'benchmarks.floor:application' if app == 'floor' else 'benchmarks.app:application'
            command = [sys.executable, '-m', 'gunicorn', '-w', '2', '-b', '127.0.0.1:%d' % self.port,
                       '--log-level', 'warning', target]
            self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=self.log, stderr=self.log)
        self._wait_ready(log_path)
        self.ps = psutil.Process(self.process.pid)

    def _wait_ready(self, log_path):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('the %s server exited at start (see %s)' % (self.app, log_path))
            try:
                with socket.create_connection(('127.0.0.1', self.port), timeout=1):
                    pass
                client = load.Client(self.port)
                try:
                    if client.request('GET', '/').status == 200:
                        return
                finally:
                    client.close()
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError('the %s server did not answer within 90 s (see %s)' % (self.app, log_path))

    def processes(self):
        return [self.ps] + self.ps.children(recursive=True)

    def cpu_seconds(self):
        total = 0.0
        for process in self.processes():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def worker_rss_mb(self):
        """The largest RSS among the processes that serve requests (gunicorn's workers)."""
        workers = self.processes()[1:] if self.kind == 'gunicorn' else self.processes()
        return max(p.memory_info().rss for p in workers) / 2.0 ** 20

    def wait_idle(self, timeout=60):
        """Until background work (builds, deletes) is done: CPU still for 0.3 s."""
        deadline = time.monotonic() + timeout
        last = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = self.cpu_seconds()
            if now - last < 0.003:
                return
            last = now

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process.stdout:
            self.process.stdout.close()
        self.log.close()


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


# -- databases -------------------------------------------------------------------------------------

def prepare_database(kind, workdir, pg_url):
    """A new, empty database; returns its SQLAlchemy URL."""
    if kind == 'sqlite':
        path = os.path.join(workdir, 'compute-api.sqlite')
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return 'sqlite:///' + path
    admin = sa.create_engine(pg_url, isolation_level='AUTOCOMMIT')
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql('DROP DATABASE IF EXISTS %s WITH (FORCE)' % BENCH_DATABASE)
            conn.exec_driver_sql('CREATE DATABASE %s' % BENCH_DATABASE)
    finally:
        admin.dispose()
    return sa.engine.make_url(pg_url).set(database=BENCH_DATABASE).render_as_string(hide_password=False)


def write_config(workdir, url):
    path = os.path.join(workdir, 'compute-api.conf')
    with open(path, 'w') as f:
        f.write('[DEFAULT]\nstate_path = %s\nhost = %s\n\n'
                # compute_api.wsgi (gunicorn, benchmarks.app) serves noauth only when told so.
                '[api]\nauth_strategy = noauth\nnoauth_allow_remote = true\n\n'
                '[database]\nconnection = %s\nauto_sync = false\n\n'
                # Creates must not stop at a quota, and 100,000 seeded servers need addresses.
                '[quota]\ninstances = -1\ncores = -1\nram = -1\n\n'
                '[network]\nnetworks = %s:10.0.0.0/8\n' % (workdir, seed.HOST, url, seed.NETWORK))
    return path


def sync_database(config, env, log_path):
    with open(log_path, 'ab') as log:
        subprocess.run([sys.executable, '-m', 'compute_api.cmd.manage', '--config-file', config, 'db', 'sync'],
                       env=env, cwd=ROOT, stdout=log, stderr=log, check=True, timeout=300)


# -- scenarios -------------------------------------------------------------------------------------

def probe(server, method, path, body=None, count=5):
    """A few requests before the load: status (a 404 route means the scenario is skipped) and the
    database round trips and queries per request from the benchmark app's headers, the most of any
    probe (only these requests ask for the count, so the timed load carries no counting). They
    also warm the server up."""
    client = load.Client(server.port)
    statuses, counts = [], []
    try:
        for _ in range(count):
            response = client.request(method, path, body=body, count_sql=True)
            statuses.append(response.status)
            if response.headers.get(round_trips.ROUND_TRIPS_HEADER) is not None:
                counts.append((int(response.headers[round_trips.ROUND_TRIPS_HEADER]),
                               int(response.headers[round_trips.QUERIES_HEADER])))
    finally:
        client.close()
    if not counts:
        return statuses, {}
    return statuses, {'round_trips': max(c[0] for c in counts), 'queries': max(c[1] for c in counts)}


def measure_get(server, settings, path, probe_sql=False):
    """Server CPU ms per request, latency, req/s for GETs of one path (and database round trips
    per request)."""
    statuses, database = probe(server, 'GET', path)
    if any(status != 200 for status in statuses):
        raise RuntimeError('GET %s answered %s' % (path, statuses))
    windows = []
    for _ in range(settings.read_windows):
        before = server.cpu_seconds()
        if load.wrk_available():
            result = load.run_wrk(server.port, path, settings.read_seconds, settings.connections)
            driver = 'wrk'
        else:
            result = load.run_clients(server.port, load.get_operation(path), settings.connections,
                                      settings.read_seconds, settings.max_python_requests)
            driver = 'python'
        windows.append(_figures(result, server.cpu_seconds() - before, driver))
    figures = min(windows, key=lambda w: w['cpu_ms'] if w['cpu_ms'] is not None else float('inf'))
    figures['cpu_ms_windows'] = [w['cpu_ms'] for w in windows]
    if probe_sql:
        figures.update(database)
    return figures


def _figures(result, cpu_seconds, driver, requests=None):
    requests = requests or result.requests
    return {'requests': result.requests, 'seconds': round(result.seconds, 3), 'rps': round(result.rps, 1),
            'p50_ms': _round(result.p50_ms), 'p99_ms': _round(result.p99_ms),
            'cpu_ms': _round(cpu_seconds * 1000.0 / requests) if requests else None,
            'errors': result.errors, 'driver': driver}


def _round(value, digits=3):
    return None if value is None else round(value, digits)


def _create(client, created):
    response = client.request('POST', '/v2.1/servers', body=CREATE_BODY)
    if response.status != 202:
        return False
    created.append(json.loads(response.data)['server']['id'])
    return True


def measure_create(server, settings):
    """POSTs by 2 clients, then the wait until the builds are done: CPU per create includes the
    build. Then time to ACTIVE, one server at a time, polling GET /servers/{id} every 2 ms."""
    statuses, database = probe(server, 'POST', '/v2.1/servers', body=CREATE_BODY, count=3)
    if any(status != 202 for status in statuses):
        raise RuntimeError('POST /v2.1/servers answered %s' % statuses)
    created = []
    server.wait_idle()
    before = server.cpu_seconds()
    result = load.run_clients(server.port, lambda client: _create(client, created), 2,
                              settings.read_seconds * 2, settings.create_count)
    server.wait_idle()
    figures = _figures(result, server.cpu_seconds() - before, 'python')
    figures.update(database)
    active = []
    client = load.Client(server.port)
    try:
        for _ in range(settings.active_samples):
            started = time.perf_counter()
            ids = []
            if not _create(client, ids):
                figures['errors'] += 1
                continue
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                status = json.loads(client.request('GET', '/v2.1/servers/%s' % ids[0]).data)['server']['status']
                if status in ('ACTIVE', 'ERROR'):
                    break
                time.sleep(0.002)
            if status == 'ACTIVE':
                active.append((time.perf_counter() - started) * 1000.0)
            else:
                figures['errors'] += 1
    finally:
        client.close()
    active.sort()
    figures['active_p50_ms'] = _round(load.percentile(active, 50))
    figures['active_p99_ms'] = _round(load.percentile(active, 99))
    return figures


def measure_mixed(server, settings, size, clients):
    """`clients` clients: 70% GET of a random seeded server of the project, 20% create, 10% delete
    of a server created here (a create when there is none yet). CPU per request includes background
    work."""
    rng = random.Random(size)
    own = seed.project_servers(size)
    pool = []
    lock = threading.Lock()

    def operation(client):
        with lock:
            roll = rng.random()
            victim = pool.pop(rng.randrange(len(pool))) if roll >= 0.9 and pool else None
            shown = seed.server_uuid(rng.randrange(own))
        if roll < 0.7:
            return client.request('GET', '/v2.1/servers/%s' % shown).status == 200
        if victim is None:
            return _create(client, pool)
        return client.request('DELETE', '/v2.1/servers/%s' % victim).status == 204

    server.wait_idle()
    before = server.cpu_seconds()
    result = load.run_clients(server.port, operation, clients, settings.mixed_seconds, settings.mixed_max)
    server.wait_idle()
    return _figures(result, server.cpu_seconds() - before, 'python')


# -- one database x one server software --------------------------------------------------------------

def run_combination(db, server_kind, sizes, scenarios, settings, workdir, pg_url, rows, notes, log):
    env = dict(os.environ)
    env.pop('COMPUTE_API_CONFIG', None)
    log_path = os.path.join(workdir, 'server-%s-%s.log' % (db, server_kind))
    base = {'db': db, 'server': server_kind}

    def record(scenario, size, measure):
        """Run one measurement; a failure becomes a note (with its first lines) and the run goes on."""
        try:
            figures = measure()
        except Exception as exc:  # noqa: BLE001 - reported, not hidden
            text = ' '.join(str(exc).split())[:300]
            notes.append('%s at %s servers (%s/%s) failed: %s: %s' % (scenario, size, db, server_kind,
                                                                       type(exc).__name__, text))
            log('  %-9s FAILED: %s' % (scenario, text))
            return
        row = dict(base, scenario=scenario, size=size, **figures)
        rows.append(row)
        log('  %-9s %7s servers  cpu %s ms/req  p50 %s ms  p99 %s ms  %s req/s  db round trips %s (queries %s)'
            '  errors %s' % (scenario, size if size is not None else '-', row.get('cpu_ms'), row.get('p50_ms'),
                             row.get('p99_ms'), row.get('rps'), row.get('round_trips', '-'), row.get('queries', '-'),
                             row.get('errors')))

    log('%s / %s' % (db, server_kind))
    floor = Server(server_kind, 'floor', env, log_path)
    try:
        record('floor', None, lambda: measure_get(floor, settings, '/'))
        floor_rss = floor.worker_rss_mb()
    finally:
        floor.stop()

    url = prepare_database(db, workdir, pg_url)
    config = write_config(workdir, url)
    env['COMPUTE_API_CONFIG'] = config
    sync_database(config, env, log_path)
    seed.seed(url, sizes[0])
    server = Server(server_kind, 'compute', env, log_path)
    try:
        for name, path in (('versions', '/'), ('flavors', '/v2.1/flavors/detail')):
            if name in scenarios and _routable(server, name, path, notes, base):
                record(name, None, lambda: measure_get(server, settings, path, probe_sql=True))
        for size in sizes:
            started = time.monotonic()
            added = seed.seed(url, size)
            if added:
                log('  seeded %d servers (%d in all) in %.1f s' % (added, size, time.monotonic() - started))
            show_path = '/v2.1/servers/%s' % seed.server_uuid(seed.project_servers(size) // 2)
            detail_path = '/v2.1/servers/detail?limit=100'
            if 'show' in scenarios and _routable(server, 'show', show_path, notes, base):
                record('show', size, lambda: measure_get(server, settings, show_path, probe_sql=True))
            if 'detail' in scenarios and _routable(server, 'detail', detail_path, notes, base):
                record('detail', size, lambda: measure_get(server, settings, detail_path, probe_sql=True))
            creatable = _routable(server, 'create', show_path, notes, base)
            if 'create' in scenarios and creatable:
                record('create', size, lambda: measure_create(server, settings))
            if 'mixed' in scenarios and creatable:
                record('mixed', size, lambda: measure_mixed(server, settings, size, settings.connections))
        server.wait_idle()
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    return dict(base, rss_mb=round(rss, 1), floor_rss_mb=round(floor_rss, 1))


def _routable(server, name, path, notes, base):
    """False (with a note) when the route does not exist yet: the scenario is skipped."""
    statuses, _database = probe(server, 'GET', path, count=1)
    if statuses[0] == 404:
        note = '%s (%s, %s/%s): skipped, GET %s answers 404' % (name, SCENARIOS[name][0], base['db'],
                                                               base['server'], path)
        if note not in notes:
            notes.append(note)
        return False
    return True


# -- the report ----------------------------------------------------------------------------------------

def machine():
    cpu = platform.processor() or ''
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next((line.split(':', 1)[1].strip() for line in f if line.startswith('model name')), cpu)
    except OSError:
        pass
    return {'cpu': cpu, 'cores': os.cpu_count(), 'memory_gb': round(psutil.virtual_memory().total / 2.0 ** 30, 1),
            'os': platform.platform(), 'python': platform.python_version()}


def load_average():
    """The 1-minute load average: above the core count, other work shared the machine (latency and
    req/s suffer most; CPU per request much less)."""
    return round(os.getloadavg()[0], 1)


def add_floor_ratios(rows):
    floors = {(r['db'], r['server']): r for r in rows if r['scenario'] == 'floor'}
    for row in rows:
        floor = floors.get((row['db'], row['server']))
        if floor and row['cpu_ms'] is not None and floor['cpu_ms']:
            row['cpu_x_floor'] = round(row['cpu_ms'] / floor['cpu_ms'], 1)
        if floor and row.get('p50_ms') is not None and floor.get('p50_ms'):
            row['p50_x_floor'] = round(row['p50_ms'] / floor['p50_ms'], 1)


def page_cost_ratios(rows):
    """detail's CPU per request at the largest size over that at 1,000 (or the smallest)."""
    result = []
    for db, server in sorted({(r['db'], r['server']) for r in rows}):
        detail = {r['size']: r['cpu_ms'] for r in rows
                  if (r['db'], r['server'], r['scenario']) == (db, server, 'detail') and r['cpu_ms']}
        if len(detail) >= 2:
            small = 1000 if 1000 in detail else min(detail)
            large = max(detail)
            if large != small:
                result.append({'db': db, 'server': server, 'small': small, 'large': large,
                               'ratio': round(detail[large] / detail[small], 2)})
    return result


def planned(dbs, servers, sizes, scenarios):
    """Every (db, server, scenario, size) a run sets out to measure: the floor and the two fixed
    GETs once per combination, the others at each table size."""
    plan = []
    for db in dbs:
        for server in servers:
            plan.append((db, server, 'floor', None))
            plan += [(db, server, name, None) for name in ('versions', 'flavors') if name in scenarios]
            plan += [(db, server, name, size) for size in sizes for name in TABLE_SCENARIOS if name in scenarios]
    return plan


def smoke_failures(report):
    """Why a --quick run must fail: a planned measurement that did not run (it failed, was skipped
    or its combination failed: the notes say which) or one whose requests had errors."""
    measured = {(r['db'], r['server'], r['scenario'], r['size']): r for r in report['results']}
    failures = []
    for db, server, scenario, size in report['plan']:
        where = '%s%s (%s/%s)' % (scenario, '' if size is None else ' at %s servers' % size, db, server)
        row = measured.get((db, server, scenario, size))
        if row is None:
            failures.append('%s did not run' % where)
        elif row['errors']:
            failures.append('%s had %s failed requests' % (where, row['errors']))
    return failures


def summary(report):
    """The target rows, one column per database / server software, at 1,000 servers (or the
    nearest size run)."""
    rows = report['results']
    combos = sorted({(r['db'], r['server']) for r in rows}, key=lambda c: (c[0] != 'sqlite', c[1] != 'eventlet'))
    sizes = sorted({r['size'] for r in rows if r['size'] is not None})
    size = min(sizes, key=lambda n: abs(n - 1000)) if sizes else None

    def find(combo, scenario, at=None):
        return next((r for r in rows if (r['db'], r['server'], r['scenario']) == combo + (scenario,)
                     and r['size'] == at), None)

    def cpu(combo, scenario, at=None, sql=True):
        row = find(combo, scenario, at)
        if row is None or row['cpu_ms'] is None:
            return '—'
        text = '%s ms' % row['cpu_ms']
        if row.get('cpu_x_floor') is not None and scenario != 'floor':
            text += ' (%s×)' % row['cpu_x_floor']
        if sql and row.get('round_trips') is not None:
            text += ', %s round trips (%s queries)' % (row['round_trips'], row['queries'])
        return text

    def create(combo):
        row = find(combo, 'create', size)
        if row is None:
            return '—'
        text = '%s ms, ACTIVE p50 %s ms' % (row['cpu_ms'], _cell(row.get('active_p50_ms')))
        if row.get('round_trips') is not None:
            text += ', %s round trips (%s queries)' % (row['round_trips'], row['queries'])
        return text

    def page_cost(combo):
        ratio = next((p for p in report['page_cost'] if (p['db'], p['server']) == combo), None)
        return '—' if ratio is None else '%s× (%s vs %s)' % (ratio['ratio'], '{:,}'.format(ratio['large']),
                                                            '{:,}'.format(ratio['small']))

    def rss(combo):
        memory = next((m for m in report['memory'] if (m['db'], m['server']) == combo), None)
        return '—' if memory is None else '%s MB (floor %s MB)' % (memory['rss_mb'], memory['floor_rss_mb'])

    def mixed(combo):
        row = find(combo, 'mixed', size)
        return '—' if row is None else '%s ms, %s req/s' % (row['cpu_ms'], row['rps'])

    at = ' (%s servers)' % '{:,}'.format(size) if size else ''
    table = [
        ('floor: bare webob app, 2 KB JSON', '—', '0.028–0.055 ms', lambda c: cpu(c, 'floor')),
        ('GET /', '≤ 0.15 ms, ≤ 4× floor', '1.45 ms', lambda c: cpu(c, 'versions', sql=False)),
        ('GET /flavors/detail', '≤ 0.5 ms', '7.6 ms', lambda c: cpu(c, 'flavors')),
        ('GET /servers/{id}' + at, '≤ 0.6 ms, ≤ 4 queries', '19.2 ms', lambda c: cpu(c, 'show', size)),
        ('GET /servers/detail, page of 100' + at, '≤ 6 ms, ≤ 4 queries', '~215 ms',
         lambda c: cpu(c, 'detail', size)),
        ('POST /servers, CPU incl. build' + at, '≤ 3 ms; ACTIVE p50 ≤ 20 ms', 'ACTIVE p50 547 ms', create),
        ('page cost, 100,000 vs 1,000 servers', '≤ 1.2×', '—', page_cost),
        ('mixed 70/20/10' + at, '—', '—', mixed),
        ('RSS per worker after the run', '≤ 70 MB', '150–180 MB', rss),
    ]
    lines = ['| server CPU per request | target | nova-api 34, quoted* | %s |' % ' | '.join(
        '%s / %s' % c for c in combos), '|---|---|---|%s' % ('---|' * len(combos))]
    for label, target, nova, value in table:
        lines.append('| %s | %s | %s | %s |' % (label, target, nova, ' | '.join(value(c) for c in combos)))
    return lines + ['', '\\* ' + NOVA_QUOTED]


def _cell(value):
    return '—' if value is None else ('{:,}'.format(value) if isinstance(value, int) else str(value))


def markdown(report):
    lines = ['# compute_api benchmarks', '',
             'Run %s on %s (%s cores, %s GB), %s, Python %s; driver: %s. Mode: %s. Load average at '
             'start %s, at end %s.' % (
                 report['started'], report['machine']['cpu'], report['machine']['cores'],
                 report['machine']['memory_gb'], report['machine']['os'], report['machine']['python'],
                 report['driver'], 'quick smoke' if report['quick'] else 'full', report['load_average'][0],
                 report['load_average'][1]), '',
             'CPU = server CPU time per request (process accounting, all server processes; GETs: the '
             'best of %d window(s); PostgreSQL\'s own CPU not included); × floor = that over the floor '
             'app\'s CPU per request in the same run and server software. Round trips = database round '
             'trips per request, the most of a few probe requests: every statement a DBAPI cursor executes, '
             'every BEGIN, COMMIT and ROLLBACK, and the pool\'s pre-ping (PostgreSQL); queries = those '
             'statements less transaction control.' % report['read_windows'], '',
             ] + summary(report) + ['', 'Every measurement:', '',
             '| scenario | db | server | servers | CPU ms/req | × floor | target ms | p50 ms | p99 ms '
             '| req/s | round trips/req | queries/req | errors |',
             '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|']
    for row in report['results']:
        target = SCENARIOS[row['scenario']][1]
        extra = ''
        if row['scenario'] == 'create':
            extra = ' (ACTIVE p50 %s ms)' % _cell(row.get('active_p50_ms'))
        lines.append('| %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            row['scenario'], extra, row['db'], row['server'], _cell(row['size']), _cell(row['cpu_ms']),
            _cell(row.get('cpu_x_floor')), _cell(target), _cell(row['p50_ms']), _cell(row['p99_ms']),
            _cell(row['rps']), _cell(row.get('round_trips')), _cell(row.get('queries')), row['errors']))
    lines += ['', '| db | server | RSS MB per worker after the run | floor RSS MB |', '|---|---|---:|---:|']
    for memory in report['memory']:
        lines.append('| %s | %s | %s | %s |' % (memory['db'], memory['server'], memory['rss_mb'],
                                                memory['floor_rss_mb']))
    if report['page_cost']:
        lines += ['', 'Page cost (GET /servers/detail, 100 per page) against table size:', '']
        for ratio in report['page_cost']:
            lines.append('- %s / %s: %s servers vs %s: %s×' % (ratio['db'], ratio['server'],
                                                             '{:,}'.format(ratio['large']),
                                                             '{:,}'.format(ratio['small']), ratio['ratio']))
    lines += ['', 'Scenarios: ' + '; '.join('%s = %s' % (k, v[0]) for k, v in SCENARIOS.items()) + '.']
    if report['notes']:
        lines += ['', 'Notes:', ''] + ['- ' + note for note in report['notes']]
    return '\n'.join(lines) + '\n'


def plot(report, path):
    """p50 latency (top) and server CPU per request (bottom) against table size: one column per
    scenario, one line per database / server software."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        from matplotlib import pyplot
    except ImportError:
        return 'no plot: matplotlib is not installed (pip install -e ".[bench]")'
    scenarios = [s for s in TABLE_SCENARIOS if any(r['scenario'] == s for r in report['results'])]
    if not scenarios:
        return 'no plot: no scenario ran at a table size'
    combos = sorted({(r['db'], r['server']) for r in report['results']})
    figure, axes = pyplot.subplots(2, len(scenarios), figsize=(4 * len(scenarios), 7), squeeze=False)
    for column, scenario in enumerate(scenarios):
        for index, combo in enumerate(combos):
            points = sorted((r for r in report['results'] if r['size'] is not None
                             and (r['db'], r['server'], r['scenario']) == combo + (scenario,)), key=lambda r: r['size'])
            if not points:
                continue
            style = {'marker': 'os^D'[index % 4], 'linestyle': '-' if combo[0] == 'sqlite' else '--',
                     'label': '%s / %s' % combo}
            sizes = [p['size'] for p in points]
            axes[0][column].plot(sizes, [p['p50_ms'] for p in points], **style)
            axes[1][column].plot(sizes, [p['cpu_ms'] for p in points], **style)
        axes[0][column].set_title(PLOT_TITLES[scenario], fontsize=10)
        axes[0][column].set_ylabel('p50 latency (ms)')
        axes[1][column].set_ylabel('server CPU per request (ms)')
        for row in (0, 1):
            axes[row][column].set_xscale('log')
            axes[row][column].set_yscale('log')
            axes[row][column].set_xlabel('servers in the table')
            axes[row][column].grid(True, which='both', alpha=0.3)
    axes[0][0].legend(fontsize=8)
    figure.suptitle('compute_api, %s' % report['started'])
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    pyplot.close(figure)
    return None


def pg_available(pg_url):
    engine = sa.create_engine(pg_url, connect_args={'connect_timeout': 3})
    try:
        with engine.connect():
            return True
    except Exception:  # noqa: BLE001 - any failure to connect means "not here"
        return False
    finally:
        engine.dispose()


def parse_args(argv):
    parser = argparse.ArgumentParser(prog='python -m benchmarks.run', description=__doc__.split('\n\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='a few seconds: SQLite, eventlet, 100 servers, short loads (the CI smoke)')
    parser.add_argument('--scenarios', default=','.join(s for s in SCENARIOS if s != 'floor'),
                        help='comma-separated, of: %s (the floor always runs)' % ', '.join(
                            s for s in SCENARIOS if s != 'floor'))
    parser.add_argument('--servers', default=None, help='table sizes, comma-separated (100,1000,100000)')
    parser.add_argument('--db', default=None, help='sqlite, postgresql or both, comma-separated')
    parser.add_argument('--server', default=None, help='eventlet, gunicorn or both, comma-separated')
    parser.add_argument('--pg-url', default=os.environ.get('COMPUTE_API_BENCH_PG', DEFAULT_PG),
                        help='a PostgreSQL server to create the %s database on' % BENCH_DATABASE)
    results = os.environ.get('COMPUTE_API_RESULTS') or os.path.join(ROOT, 'results')
    parser.add_argument('--out', default=os.path.join(results, 'benchmarks'),
                        help='report folder (default: $COMPUTE_API_RESULTS/benchmarks, else results/benchmarks)')
    args = parser.parse_args(argv)
    args.scenarios = [s for s in args.scenarios.split(',') if s]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error('unknown scenarios: %s' % ', '.join(sorted(unknown)))
    args.servers = [int(n) for n in (args.servers or ('100' if args.quick else '100,1000,100000')).split(',')]
    args.db = (args.db or ('sqlite' if args.quick else 'sqlite,postgresql')).split(',')
    args.server = (args.server or ('eventlet' if args.quick else 'eventlet,gunicorn')).split(',')
    for value, allowed in ((args.db, ('sqlite', 'postgresql')), (args.server, ('eventlet', 'gunicorn'))):
        if set(value) - set(allowed):
            parser.error('choose from %s' % ', '.join(allowed))
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    settings = Settings(args.quick)
    os.makedirs(args.out, exist_ok=True)
    notes, rows, memory = [], [], []

    def log(message):
        print(message, flush=True)

    if not load.wrk_available():
        notes.append('wrk is not installed (apt-get install wrk): the Python driver ran the GET scenarios')
    servers = list(args.server)
    if 'gunicorn' in servers and shutil.which('gunicorn', path=os.path.dirname(sys.executable)) is None:
        notes.append('gunicorn is not installed (pip install -e ".[bench]"): its runs were skipped')
        servers.remove('gunicorn')
    dbs = list(args.db)
    if 'postgresql' in dbs and not pg_available(args.pg_url):
        notes.append('no PostgreSQL at %s: its runs were skipped' % sa.engine.make_url(args.pg_url)
                     .render_as_string(hide_password=True))
        dbs.remove('postgresql')
    started = datetime.datetime.now(datetime.timezone.utc)
    load_at_start = load_average()
    with tempfile.TemporaryDirectory(prefix='compute-api-bench-') as workdir:
        for db in dbs:
            for server_kind in servers:
                try:
                    memory.append(run_combination(db, server_kind, args.servers, args.scenarios, settings,
                                                  workdir, args.pg_url, rows, notes, log))
                except Exception as exc:  # noqa: BLE001 - reported; the other combinations still run
                    notes.append('%s / %s failed: %s: %s' % (db, server_kind, type(exc).__name__, exc))
                    log('%s / %s FAILED: %s' % (db, server_kind, exc))
                for name in os.listdir(workdir):
                    if name.endswith('.log'):
                        shutil.copy(os.path.join(workdir, name), args.out)
    add_floor_ratios(rows)
    report = {'started': started.strftime('%Y-%m-%d %H:%M UTC'), 'quick': args.quick, 'machine': machine(),
              'plan': planned(dbs, servers, args.servers, args.scenarios),
              'read_windows': settings.read_windows,
              'driver': 'wrk (reads), Python urllib3 (creates, mixed)' if load.wrk_available() else 'Python urllib3',
              'load_average': [load_at_start, load_average()], 'results': rows, 'memory': memory,
              'page_cost': page_cost_ratios(rows), 'notes': notes}
    plot_note = plot(report, os.path.join(args.out, 'latency-vs-table-size.png'))
    if plot_note:
        notes.append(plot_note)
    with open(os.path.join(args.out, 'results.json'), 'w') as f:
        json.dump(report, f, indent=1)
    table = markdown(report)
    with open(os.path.join(args.out, 'results.md'), 'w') as f:
        f.write(table)
    print()
    print(table)
    print('Report: %s (results.md, results.json, latency-vs-table-size.png)' % args.out)
    # Slow is reported, never failed. A run that measured nothing at all is broken, and so is a
    # smoke run (CI's benchmark stage) in which any planned measurement failed or had errors.
    if not rows:
        return 1
    failures = smoke_failures(report) if args.quick else []
    for failure in failures:
        print('SMOKE FAILED: %s' % failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
