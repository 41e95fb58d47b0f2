"""The eventlet server of a benchmark run: what `compute-api` runs (eventlet.wsgi, same
settings), serving either the floor app or the compute app. Prints the port once listening.

    python -m benchmarks.serve floor|compute
"""
from compute_api.cmd import eventlet_setup

eventlet_setup.monkey_patch()

import logging  # noqa: E402
import sys  # noqa: E402

import eventlet  # noqa: E402
from eventlet import wsgi as eventlet_wsgi  # noqa: E402


def main():
    which = sys.argv[1]
    if which == 'floor':
        from benchmarks.floor import application
    else:
        from benchmarks.app import application
    sock = eventlet.listen(('127.0.0.1', 0))
    print(sock.getsockname()[1], flush=True)
    eventlet_wsgi.server(sock, application, log=logging.getLogger('compute_api.access'), log_output=False,
                         max_size=1024, keepalive=True, socket_timeout=900)


if __name__ == '__main__':
    main()
