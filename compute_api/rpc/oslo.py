"""The oslo.messaging transport ([DEFAULT] transport_url: rabbit://..., or fake:// between
threads of one process): the API's client and a compute host's RPC server on
Target(topic='compute', server=<host>) with the threading executor.

Only a process that has a transport configured imports this module (oslo.messaging adds ~20 MB
to a process). The library reads its own options (tracing, metrics, rabbit, ...) from the
ConfigOpts it is given; with this project's private ConfigOpts they must be registered on it
first, or the first message raises NoSuchOptError. oslo.messaging acknowledges a message before
dispatching it: the database, not the broker, says what is done.
"""
import logging
import threading

import oslo_messaging
from oslo_messaging import opts as oslo_opts

from compute_api import exception
from compute_api.rpc import api

LOG = logging.getLogger(__name__)


def _transport(conf):
    for group, options in oslo_opts.list_opts():
        conf.register_opts(options, group=group)
    return oslo_messaging.get_rpc_transport(conf, url=conf.transport_url)


class OsloTransport:
    """The API side. The client (and its connections) is made at the first message, so a process
    that forks its workers after loading the app (gunicorn --preload) shares no socket."""

    def __init__(self, conf):
        self.conf = conf
        self._client = None
        self._lock = threading.Lock()

    def _prepared(self, host, version):
        with self._lock:
            if self._client is None:
                self._transport = _transport(self.conf)
                self._client = oslo_messaging.get_rpc_client(
                    self._transport, oslo_messaging.Target(topic=api.TOPIC, version=api.VERSION))
        return self._client.prepare(server=host, version=version)

    def cast(self, host, method, version, arguments):
        self._prepared(host, version).cast({}, method, **arguments)

    def call(self, host, method, version, arguments):
        try:
            return self._prepared(host, version).call({}, method, **arguments)
        except oslo_messaging.MessagingTimeout:
            raise exception.ComputeHostUnavailable(host=host) from None

    def close(self):
        if self._client is not None:
            self._transport.cleanup()
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
        self._transport = _transport(conf)
        self._server = oslo_messaging.get_rpc_server(
            self._transport, oslo_messaging.Target(topic=api.TOPIC, server=host.name), [_Endpoint(host)],
            executor='threading')

    def start(self):
        self._server.start()

    def stop(self):
        """Stop consuming and wait for the dispatches in flight (a cast's dispatch only queues it)."""
        self._server.stop()
        self._server.wait()
        self._transport.cleanup()
