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

    def authorize(self, context, action, target=None):
        policy.authorize(self.enforcer, context, action, target)

    def start(self):
        """Resolve what a previous run of this host left in flight (builds, deletes...)."""
        tasks_mod.recover(self)

    def stop(self, timeout=30):
        """Let driver work in flight finish (up to `timeout` seconds); False if some did not."""
        return self.tasks.stop(timeout)


def build(conf, store=None):
    """Everything the API needs; `store` may be given (tests share one across apps)."""
    if store is None:
        store = store_mod.Store.from_conf(conf)
    if conf.database.auto_sync:
        store.migrate()
    return Services(
        conf=conf,
        store=store,
        driver=driver_mod.load_driver(conf),
        enforcer=policy.make_enforcer(conf),
        tasks=tasks_mod.TaskRunner(conf.task_workers),
    )
