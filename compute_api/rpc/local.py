"""The in-process transport (no [DEFAULT] transport_url: the laptop default): the compute hosts
run in this process and a message is a function call on one of them. No broker, no
oslo.messaging import."""
import logging

from compute_api import exception
from compute_api.rpc import api

LOG = logging.getLogger(__name__)


class LocalTransport:
    def __init__(self, hosts):
        self.hosts = {host.name: host for host in hosts}  # name -> manager.host.ComputeHost

    def cast(self, host, method, version, arguments):
        target = self.hosts.get(host)
        if target is None:
            # As a cast to a host whose queue never existed: nobody receives it.
            LOG.warning('Cast %s to host %s dropped: no such host in this process', method, host)
            return
        api.dispatch(target.manager, target.tasks, method, arguments)

    def call(self, host, method, version, arguments):
        target = self.hosts.get(host)
        if target is None:
            raise exception.ComputeHostUnavailable(host=host)
        return api.dispatch(target.manager, target.tasks, method, arguments)

    def close(self):
        pass
