"""compute-api-compute --config-file F [--config-file G ...]: one compute host ([DEFAULT] host),
reached by the API processes over [DEFAULT] transport_url (oslo.messaging).

It registers the host's service and node, recovers what a previous run of this host left in
flight, then consumes its RPC server's messages (Target(topic='compute', server=host), threading
executor) and beats every [DEFAULT] report_interval. SIGTERM (or SIGINT) stops consuming, lets
the driver work in flight finish (up to 30 s) and exits 0.
"""
import logging
import signal
import sys
import threading

from compute_api import conf as conf_mod
from compute_api import runtime
from compute_api.cmd import api
from compute_api.db import store as store_mod
from compute_api.manager import host as host_mod

LOG = logging.getLogger('compute_api')


def main(argv=None):
    conf = conf_mod.make_conf(sys.argv[1:] if argv is None else argv, cli_opts=api.register_cli_opts())
    api.setup_logging(conf)
    if not conf.transport_url:
        raise SystemExit('compute-api-compute needs [DEFAULT] transport_url (without one, compute-api runs its '
                         'compute host itself).')
    from compute_api.rpc import oslo
    store = store_mod.Store.from_conf(conf)
    if conf.database.auto_sync and not store.at_head():
        store.migrate()
    host = runtime.local_compute_host(conf, store)
    try:
        host.start()
    except host_mod.HostInUse as exc:
        raise SystemExit(str(exc)) from None
    server = oslo.RpcServer(conf, host)
    server.start()
    LOG.info('compute-api-compute serving host %s (driver %s)', host.name, conf.compute_driver)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stopping.set())
    while not stopping.wait(1):
        pass
    LOG.info('compute-api-compute stopping')
    server.stop()
    host.stop()
    store.dispose()


if __name__ == '__main__':
    main()
