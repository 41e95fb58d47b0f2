"""The oslo.messaging transport ([DEFAULT] transport_url: rabbit://..., or fake:// between
threads of one process): the API's client and a compute host's RPC server on
Target(topic='compute', server=<host>) with the threading executor.

Only a process that has a transport configured imports this module (oslo.messaging adds ~20 MB
to a process). The library registers and reads its own options (transport_url, tracing, metrics,
[oslo_messaging_rabbit], ...) on the ConfigOpts it is given: it gets one of its own, read from
the same configuration files, with every option of its list registered (else the first message
raises NoSuchOptError), so that its definitions never clash with this project's. oslo.messaging
acknowledges a message before dispatching it: the database, not the broker, says what is done.
"""
import threading

import kombu.exceptions
import oslo_messaging
from oslo_config import cfg
from oslo_messaging import opts as oslo_opts
from oslo_messaging._metrics import client as metrics_client
from oslo_messaging._tracing import client as tracing_client

from compute_api import exception
from compute_api.rpc import api


# Reconnections a cast makes before it fails (oslo.messaging's default: forever, which would hold
# the request while the broker is down); one is [oslo_messaging_rabbit] rabbit_retry_interval.
CAST_RETRIES = 1
# What a send to an unreachable broker raises.
_UNREACHABLE = (oslo_messaging.MessageDeliveryFailure, kombu.exceptions.OperationalError, OSError)

_transports = {}  # (id of the ConfigOpts, url) -> transport: one per process, shared by client and server
_transports_lock = threading.Lock()


def _library_conf(conf):
    library_conf = cfg.ConfigOpts()
    for group, options in oslo_opts.list_opts():
        library_conf.register_opts(options, group=group)
    # Options its list leaves out (it registers them on the global CONF only), read at the first
    # call or cast.
    library_conf.register_opts(tracing_client.oslo_messaging_tracing, group='oslo_messaging_tracing')
    library_conf.register_opts(metrics_client.oslo_messaging_metrics, group='oslo_messaging_metrics')
    library_conf([], project='compute-api', default_config_files=list(conf.config_file or []))
    return library_conf


def _transport(conf):
    """The process's transport for conf's transport_url (fake:// only connects a client and a
    server of one transport object)."""
    key = (id(conf), conf.transport_url)
    with _transports_lock:
        if key not in _transports:
            _transports[key] = oslo_messaging.get_rpc_transport(_library_conf(conf), url=conf.transport_url)
        return _transports[key]


class OsloTransport:
    """The API side. The client (and its connections) is made at the first message, so a process
    that forks its workers after loading the app (gunicorn --preload) shares no socket."""

    def __init__(self, conf):
        self.conf = conf
        self._client = None
        self._lock = threading.Lock()

    def _prepared(self, host, version, **options):
        with self._lock:
            if self._client is None:
                self._client = oslo_messaging.get_rpc_client(
                    _transport(self.conf), oslo_messaging.Target(topic=api.TOPIC, version=api.VERSION))
        return self._client.prepare(server=host, version=version, **options)

    def cast(self, host, method, version, arguments):
        try:
            self._prepared(host, version, retry=CAST_RETRIES).cast({}, method, **arguments)
        except _UNREACHABLE:
            raise exception.MessagingUnavailable(host=host) from None

    def call(self, host, method, version, arguments):
        try:
            return self._prepared(host, version).call({}, method, **arguments)
        except oslo_messaging.MessagingTimeout:
            raise exception.ComputeHostUnavailable(host=host) from None

    def close(self):
        self._client = None


class _Endpoint:
    target = oslo_messaging.Target(version=api.VERSION)

    def __init__(self, host):
        self._host = host


def _endpoint_method(method):
    def handle(self, ctxt, **arguments):
        return api.dispatch(self._host.manager, self._host.tasks, method, arguments)
    handle.__name__ = method
    return handle


for _method in api.METHODS:
    setattr(_Endpoint, _method, _endpoint_method(_method))


class RpcServer:
    """The RPC server of a compute host (a manager.host.ComputeHost)."""

    def __init__(self, conf, host):
        self._server = oslo_messaging.get_rpc_server(
            _transport(conf), oslo_messaging.Target(topic=api.TOPIC, server=host.name), [_Endpoint(host)],
            executor='threading')

    def start(self):
        self._server.start()

    def stop(self):
        """Stop consuming and wait for the dispatches in flight (a cast's dispatch only queues it)."""
        self._server.stop()
        self._server.wait()
