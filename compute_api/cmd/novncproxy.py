"""compute-api-novncproxy: the console proxy browsers reach with the URLs the console calls hand
out ([vnc] novncproxy_host/port; noVNC's files from [vnc] web when that directory exists)."""
import logging
import os
import sys

from oslo_config import cfg

from compute_api import conf as conf_mod
from compute_api import consoleproxy
from compute_api.db import store as store_mod

LOG = logging.getLogger('compute_api')


def main(argv=None):
    # Not compute-api's entry point module: that one patches the process for eventlet.
    conf = conf_mod.make_conf(sys.argv[1:] if argv is None else argv,
                              cli_opts=[cfg.BoolOpt('debug', short='d', default=False, help='Log at DEBUG level.')])
    logging.basicConfig(level=logging.DEBUG if conf.debug else logging.INFO,
                        format='%(asctime)s %(process)d %(levelname)s %(name)s %(message)s')
    store = store_mod.Store.from_conf(conf)
    if not store.at_head():
        raise SystemExit('The database is not at schema %s: run compute-api-manage db sync.' % store_mod.SCHEMA_HEAD)
    # Each connection is handled in a process of its own: none inherits this one's connections.
    store.engine.dispose()
    web = conf.vnc.web if os.path.isdir(conf.vnc.web) else ''
    if web:
        os.chdir(web)  # websockify serves files from the working directory
    LOG.info('compute-api-novncproxy listening on %s:%s (%s)', conf.vnc.novncproxy_host, conf.vnc.novncproxy_port,
             'noVNC from %s' % web if web else 'websockets only')
    consoleproxy.ConsoleProxy(store, allowed_origins=conf.console.allowed_origins,
                              listen_host=conf.vnc.novncproxy_host, listen_port=conf.vnc.novncproxy_port,
                              web=web, file_only=True).start_server()


if __name__ == '__main__':
    main()
