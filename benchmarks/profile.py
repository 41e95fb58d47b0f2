"""Where a request's time goes: the compute app called in-process (no server, no socket) on a
seeded SQLite database, first unprofiled (CPU per request), then under cProfile. Writes one
profile per scenario under the report folder.

    python -m benchmarks.profile [--servers 1000] [--requests 300] [--scenarios versions,show,...]
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time

import webob

from benchmarks import load
from benchmarks import run
from benchmarks import seed

PATHS = {
    'versions': ('GET', '/'),
    'flavors': ('GET', '/v2.1/flavors/detail'),
    'show': ('GET', '/v2.1/servers/%s' % seed.server_uuid(1)),
    'detail': ('GET', '/v2.1/servers/detail?limit=100'),
    'create': ('POST', '/v2.1/servers'),
}


def call(app, method, path):
    request = webob.Request.blank(path, method=method, headers=load.HEADERS)
    if method == 'POST':
        request.body = run.CREATE_BODY.encode()
        request.content_type = 'application/json'
    response = request.get_response(app)
    if response.status_int >= 400:
        raise RuntimeError('%s %s: %s %s' % (method, path, response.status, response.body[:300]))
    return response


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m benchmarks.profile', description=__doc__.split('\n\n')[0])
    parser.add_argument('--servers', type=int, default=1000)
    parser.add_argument('--requests', type=int, default=300)
    parser.add_argument('--scenarios', default=','.join(PATHS))
    parser.add_argument('--out', default=os.path.join(run.ROOT, 'results', 'benchmarks'))
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='compute-api-profile-') as workdir:
        url = run.prepare_database('sqlite', workdir, None)
        config = run.write_config(workdir, url)
        env = dict(os.environ, COMPUTE_API_CONFIG=config)
        run.sync_database(config, env, os.path.join(workdir, 'sync.log'))
        seed.seed(url, args.servers)
        os.environ['COMPUTE_API_CONFIG'] = config  # compute_api.wsgi builds its application on import
        from compute_api import wsgi
        app = wsgi.application
        summary = {}
        for name in args.scenarios.split(','):
            method, path = PATHS[name]
            for _ in range(10):
                call(app, method, path)
            # Unprofiled first: the least CPU per request over 10 windows (the machine may be shared).
            windows = []
            for _ in range(10):
                started = time.process_time()
                for _ in range(max(1, args.requests // 10)):
                    call(app, method, path)
                windows.append((time.process_time() - started) * 1000.0 / max(1, args.requests // 10))
            bare = min(windows)
            profiler = cProfile.Profile()
            started = time.process_time()
            profiler.enable()
            for _ in range(args.requests):
                call(app, method, path)
            profiler.disable()
            per_request = (time.process_time() - started) * 1000.0 / args.requests
            text = io.StringIO()
            stats = pstats.Stats(profiler, stream=text)
            text.write('%s %s: %.3f ms CPU per request in-process (least of 10 windows), %.3f ms under the '
                       'profiler (%d requests)\n\n' % (method, path, bare, per_request, args.requests))
            stats.sort_stats('tottime').print_stats(30)
            stats.sort_stats('cumulative').print_stats(45)
            with open(os.path.join(args.out, 'profile-%s.txt' % name), 'w') as f:
                f.write(text.getvalue())
            summary[name] = {'in_process_ms': round(bare, 3), 'profiled_ms': round(per_request, 3)}
            print('%-9s %.3f ms CPU/request in-process, %.3f ms profiled' % (name, bare, per_request), flush=True)
        print(json.dumps(summary))
    return 0


if __name__ == '__main__':
    sys.exit(main())
