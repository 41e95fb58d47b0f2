"""One compute host ([DEFAULT] host): its driver, task runner and manager, its heartbeat in the
services table, and its start-up recovery.

start(): the host's lock, its service and node registered (the first heartbeat), then the
recovery of what a previous run of this host left in flight, then a heartbeat every
[DEFAULT] report_interval. The caller starts consuming messages (an RPC server, or the in-process
transport) only after start() returned.

One process runs a host at a time: start() takes an exclusive lock file of the host under
[DEFAULT] state_path, held for the process's life (the kernel drops it with the process, SIGKILL
included), and a second process of the same host on this machine refuses to start. Several
API workers without a transport_url are such processes: they need a transport_url and a
compute-api-compute process instead.
"""
import fcntl
import logging
import os
import re
import threading

from compute_api import exception
from compute_api.compute import inventory
from compute_api.compute import servers as compute_servers
from compute_api.compute import states
from compute_api.db import instances as db
from compute_api.db import server_metadata as db_metadata
from compute_api.db import services as db_services
from compute_api.db.store import utcnow
from compute_api.manager import manager as manager_mod
from compute_api.manager import servers

LOG = logging.getLogger(__name__)


class HostInUse(Exception):
    """Another process of this machine runs this compute host."""


class ComputeHost:
    def __init__(self, conf, store, driver, tasks, name=None):
        self.conf, self.store, self.driver, self.tasks = conf, store, driver, tasks
        self.name = name or conf.host
        self.node = getattr(driver, 'nodename', None) or self.name
        self.manager = manager_mod.ComputeManager(self)
        self._stopping = threading.Event()
        self._heartbeat = None
        self._lock_fd = None

    def start(self):
        self._lock()
        self.report(node=True)
        recover(self)
        self._heartbeat = threading.Thread(target=self._beat, name='compute-heartbeat', daemon=True)
        self._heartbeat.start()

    def stop(self, timeout=30):
        """Stop the heartbeat and let driver work in flight finish (up to `timeout` seconds); False
        if some did not (the next start's recovery resolves it)."""
        self._stopping.set()
        finished = self.tasks.stop(timeout)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        return finished

    def report(self, node=False):
        """A heartbeat (registering the service when it has no row), and the node's description
        from the driver when `node`."""
        def write(conn):
            db_services.heartbeat(conn, self.name, inventory.COMPUTE_BINARY)
            if node:
                db_services.report_node(conn, self.name, dict(inventory.node_report(self.conf, self.driver),
                                                              hypervisor_hostname=self.node))
        self.store.transact(write)

    def _beat(self):
        while not self._stopping.wait(self.conf.report_interval):
            try:
                self.report()
            except Exception:
                # The database may be away for a while: the next beat tries again.
                LOG.exception('Heartbeat of compute host %s failed', self.name)

    def _lock(self):
        os.makedirs(self.conf.state_path, exist_ok=True)
        path = os.path.join(self.conf.state_path, 'compute-%s.lock' % re.sub(r'[^A-Za-z0-9_.-]', '_', self.name))
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise HostInUse(
                'Compute host %s is already run by another process of this machine (lock %s). Several API '
                'processes (gunicorn or uwsgi workers) need [DEFAULT] transport_url and one compute-api-compute '
                'process per host; without a transport_url run one API process.' % (self.name, path)) from None
        self._lock_fd = fd


def recover(host):
    """Resolve the servers a previous run of this host left in a transitional task state (nova's
    _init_instance): a build becomes ERROR with a fault, a delete is completed, any other task
    is cleared (the server keeps its vm_state). Only this host's servers: another host's (and a
    queued build, which has its host from the start) are none of its business; and only what
    this host's state change won is destroyed. The database writes happen here; driver work goes
    to the task runner, so start-up does not wait for the hypervisor. Returns how many servers
    it touched."""
    with host.store.read() as conn:
        stranded = db.with_task_states(conn, host.name, states.TASK_STATES)
    for instance in stranded:
        uuid, task_state = instance['uuid'], instance['task_state']
        LOG.info('Recovering server %s left in task_state %s', uuid, task_state)
        if task_state == states.DELETING:
            host.tasks.submit(servers.finish_delete, host, uuid)
        elif task_state in states.BUILD_TASK_STATES:
            now = utcnow()
            with host.store.write() as conn:
                won = db.compare_and_swap(conn, uuid, task_state, {'vm_state': states.ERROR, 'task_state': None,
                                                                   'updated_at': now})
                if won:
                    servers.record_fault(conn, uuid, _BuildInterrupted(), now)
                metadata = db_metadata.get(conn, uuid)
            if won:
                # The spawn may have got as far as creating something.
                host.tasks.submit(servers.destroy_quietly, host.driver,
                                  compute_servers.driver_instance(instance, metadata))
        else:
            with host.store.write() as conn:
                db.compare_and_swap(conn, uuid, task_state, {'task_state': None, 'updated_at': utcnow()})
    return len(stranded)


class _BuildInterrupted(exception.ComputeError):
    msg = 'Build interrupted: the service restarted while the server was building.'
