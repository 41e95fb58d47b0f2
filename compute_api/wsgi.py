"""The WSGI application for production servers (gunicorn, uwsgi):

    gunicorn -w 2 -b 127.0.0.1:8774 compute_api.wsgi:application

The configuration file is taken from $COMPUTE_API_CONFIG (several, comma-separated, allowed),
else /etc/compute-api/compute-api.conf when it exists. Migrations run at start when
[database] auto_sync is true (run `compute-api-manage db sync` once instead with several workers
on a shared database).

At start the process resolves what a previous run on this host ([DEFAULT] host) left in flight
(compute_api.compute.tasks.recover): builds become ERROR, deletes complete; of several workers
sharing state_path only the first one does (compute_api.compute.tasks.HostLock). Give each host
its own [DEFAULT] host.

This entry cannot know the address its server listens on, so it refuses [api] auth_strategy =
noauth (the default) outright unless [api] noauth_allow_remote = true says a cloud where any
token is an admin is meant.
"""
import atexit
import gc
import logging
import os

from compute_api import conf as conf_mod
from compute_api import runtime as services_mod
from compute_api.api import deploy

DEFAULT_CONFIG = '/etc/compute-api/compute-api.conf'


class NoauthRefused(RuntimeError):
    """Raised at start instead of serving noauth (a WSGI server then reports it and stops)."""


def check_noauth(conf):
    if conf.api.auth_strategy == 'noauth' and not conf.api.noauth_allow_remote:
        raise NoauthRefused(
            'Refusing to serve noauth under a WSGI server: it accepts any token (user "admin" is an '
            'administrator) on whatever address the server listens on. Set [api] auth_strategy = keystone, '
            'or [api] noauth_allow_remote = true for a throwaway test cloud (or use compute-api, the '
            'development server, which serves noauth on a loopback address).')


def build_application(config_files=None):
    if config_files is None:
        env = os.environ.get('COMPUTE_API_CONFIG')
        config_files = env.split(',') if env else ([DEFAULT_CONFIG] if os.path.exists(DEFAULT_CONFIG) else [])
    conf = conf_mod.make_conf([], default_config_files=config_files)
    check_noauth(conf)
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(process)d %(levelname)s %(name)s %(message)s')
    services = services_mod.build(conf)
    services.start()
    atexit.register(services.stop)
    app = deploy.load_app(services)
    # What start-up built lives as long as the process: kept out of the collector's sight, the
    # collections during requests have that much less to walk (~5-10% of a small request's CPU).
    gc.freeze()
    return app


application = build_application()
