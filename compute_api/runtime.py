"""What the API needs at run time, built once per process from the configuration."""
import dataclasses

from compute_api import policy
from compute_api.compute import tasks as tasks_mod
from compute_api.db import store as store_mod
from compute_api.virt import driver as driver_mod


@dataclasses.dataclass
class Services:
    conf: object
    store: store_mod.Store
    driver: driver_mod.ComputeDriver
    enforcer: object
    tasks: tasks_mod.TaskRunner
    host_lock: tasks_mod.HostLock = None

    def authorize(self, context, action, target=None):
        policy.authorize(self.enforcer, context, action, target)

    def allows(self, context, action, target=None):
        return policy.allows(self.enforcer, context, action, target)

    def start(self):
        """Join this host's processes; the first one resolves what a previous run of the host
        left in flight (builds, deletes...)."""
        if self.host_lock is None:
            self.host_lock = tasks_mod.HostLock(self.conf)
            self.host_lock.acquire(while_alone=lambda: tasks_mod.recover(self))

    def stop(self, timeout=30):
        """Let driver work in flight finish (up to `timeout` seconds); False if some did not."""
        finished = self.tasks.stop(timeout)
        if self.host_lock is not None:
            self.host_lock.release()
            self.host_lock = None
        return finished


def build(conf, store=None):
    """Everything the API needs; `store` may be given (tests share one across apps)."""
    if store is None:
        store = store_mod.Store.from_conf(conf)
    if conf.database.auto_sync and not store.at_head():
        store.migrate()
    return Services(
        conf=conf,
        store=store,
        driver=driver_mod.load_driver(conf),
        enforcer=policy.make_enforcer(conf),
        tasks=tasks_mod.TaskRunner(conf.task_workers),
    )
