"""What an API process needs at run time, built once per process from the configuration.

With [DEFAULT] transport_url unset (the laptop default) the process also runs its one compute
host ([DEFAULT] host) and messages to it are function calls (rpc/local.py). With a transport_url
the compute hosts are compute-api-compute processes reached over oslo.messaging (rpc/oslo.py), and
this process never loads a driver.
"""
import dataclasses

from compute_api import policy
from compute_api.db import store as store_mod
from compute_api.rpc import api as rpc_api
from compute_api.rpc import local


@dataclasses.dataclass
class Services:
    conf: object
    store: store_mod.Store
    enforcer: object
    compute: rpc_api.ComputeAPI
    compute_host: object = None  # the in-process manager.host.ComputeHost, without a transport_url

    def authorize(self, context, action, target=None):
        policy.authorize(self.enforcer, context, action, target)

    def allows(self, context, action, target=None):
        return policy.allows(self.enforcer, context, action, target)

    def start(self):
        """Start the in-process compute host, if any (see manager/host.py)."""
        if self.compute_host is not None:
            self.compute_host.start()

    def stop(self, timeout=30):
        """Let driver work in flight finish (up to `timeout` seconds); False if some did not."""
        self.compute.close()
        if self.compute_host is not None:
            return self.compute_host.stop(timeout)
        return True


def build(conf, store=None):
    """Everything the API needs; `store` may be given (tests share one across apps)."""
    if store is None:
        store = store_mod.Store.from_conf(conf)
    if conf.database.auto_sync and not store.at_head():
        store.migrate()
    compute_host = None
    if conf.transport_url:
        from compute_api.rpc import oslo  # only here: oslo.messaging costs a process ~20 MB
        transport = oslo.OsloTransport(conf)
    else:
        compute_host = local_compute_host(conf, store)
        transport = local.LocalTransport([compute_host])
    return Services(conf=conf, store=store, enforcer=policy.make_enforcer(conf),
                    compute=rpc_api.ComputeAPI(transport), compute_host=compute_host)


def local_compute_host(conf, store, name=None):
    """A compute host of this process: the configured driver and a task runner of its own (imported
    here: an API process with a transport_url loads none of it)."""
    from compute_api.manager import host as host_mod
    from compute_api.manager import tasks
    from compute_api.virt import driver as driver_mod
    return host_mod.ComputeHost(conf, store, driver_mod.load_driver(conf), tasks.TaskRunner(conf.task_workers), name)
