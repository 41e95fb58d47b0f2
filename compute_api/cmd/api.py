"""compute-api: the eventlet development server (embedded SQLite, fake driver, noauth by default)."""
from compute_api.cmd import eventlet_setup

eventlet_setup.monkey_patch()

import gc  # noqa: E402
import ipaddress  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

import eventlet  # noqa: E402
from eventlet import wsgi as eventlet_wsgi  # noqa: E402

from compute_api import conf as conf_mod  # noqa: E402
from compute_api import runtime as services_mod  # noqa: E402
from compute_api.api import deploy  # noqa: E402

LOG = logging.getLogger('compute_api')


def _is_loopback(address):
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == 'localhost'


def check_noauth_listen(conf):
    """noauth trusts whatever token a client sends: refuse to offer it beyond this machine."""
    if (conf.api.auth_strategy == 'noauth' and not _is_loopback(conf.osapi_compute_listen)
            and not conf.api.noauth_allow_remote):
        raise SystemExit('Refusing to serve noauth on %s: it accepts any token. Use [api] auth_strategy = '
                         'keystone, listen on a loopback address, or set [api] noauth_allow_remote = true '
                         'for a throwaway test cloud.' % conf.osapi_compute_listen)


def setup_logging(conf):
    logging.basicConfig(level=logging.DEBUG if conf.debug else logging.INFO,
                        format='%(asctime)s %(process)d %(levelname)s %(name)s %(message)s')
    # Start-up says one line (where, which store and driver); alembic's per-step chatter is noise.
    logging.getLogger('alembic').setLevel(logging.DEBUG if conf.debug else logging.WARNING)


def register_cli_opts():
    from oslo_config import cfg
    return [cfg.BoolOpt('debug', short='d', default=False, help='Log at DEBUG level.')]


def _exit_on_sigterm(signum, frame):
    # SIGTERM (service managers, containers, CI) stops the server as Ctrl-C does: the accept loop
    # ends, idle keep-alive connections are closed, driver work in flight gets its moment
    # (services.stop), and the exit status is 0. The handler runs in whichever greenlet is
    # current; raised in eventlet's hub it would kill the hub and leave the server waiting on
    # its idle connections, so the exit is thrown into the main greenlet from the hub instead.
    import greenlet
    from eventlet import hubs
    main = greenlet.getcurrent()
    while main.parent is not None:
        main = main.parent
    if greenlet.getcurrent() is main:
        raise SystemExit(0)
    hubs.get_hub().schedule_call_global(0, main.throw, SystemExit(0))


def main(argv=None):
    conf = conf_mod.make_conf(sys.argv[1:] if argv is None else argv, cli_opts=register_cli_opts())
    setup_logging(conf)
    check_noauth_listen(conf)
    services = services_mod.build(conf)
    services.start()
    app = deploy.load_app(services)
    gc.freeze()  # start-up's objects live as long as the process (see compute_api.wsgi)
    sock = eventlet.listen((conf.osapi_compute_listen, conf.osapi_compute_listen_port),
                           family=6 if ':' in conf.osapi_compute_listen else 2)
    host, port = sock.getsockname()[:2]
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    LOG.info('compute-api listening on http://%s:%s (store %s, driver %s, auth %s)',
             host if ':' not in host else '[%s]' % host, port, services.store.engine.url.render_as_string(
                 hide_password=True), conf.compute_driver, conf.api.auth_strategy)
    try:
        eventlet_wsgi.server(sock, app, log=logging.getLogger('compute_api.access'), log_output=conf.debug,
                             max_size=1024, keepalive=True, socket_timeout=900)
    finally:
        # Builds and deletes in flight get a moment to finish; the rest is recovered at the next start.
        services.stop()


if __name__ == '__main__':
    main()
