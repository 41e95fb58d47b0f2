"""Driver work off the request path, and the start-up recovery of work a crash interrupted.

TaskRunner runs submitted functions on at most [DEFAULT] task_workers threads, started on
demand and ended after IDLE_SECONDS without work (so an idle process holds no worker for long,
and a busy one does not start a thread per task). The development
server monkey-patches threading with eventlet, which makes these green threads; under gunicorn
or uwsgi they are OS threads. Nothing here is durable: the database is. A task that dies with
its process leaves its server in a transitional task_state, and recover() resolves those at the
next start.

Several processes of one host (gunicorn or uwsgi workers) share its [DEFAULT] host, so one
starting next to live siblings must not take their builds in flight for orphans. Each process
holds a lock file of its host (HostLock) for its lifetime: only a process that finds no other
holder recovers, and the lock dies with its process, SIGKILL included.
"""
import collections
import fcntl
import logging
import os
import re
import threading
import time

from compute_api import exception
from compute_api.compute import servers
from compute_api.compute import states
from compute_api.db import instances as db
from compute_api.db import server_metadata as db_metadata
from compute_api.db.store import utcnow

LOG = logging.getLogger(__name__)


# How long a worker waits for the next task before it ends.
IDLE_SECONDS = 2.0


class TaskRunner:
    def __init__(self, workers):
        self.max_workers = workers
        self._queue = collections.deque()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)        # notified when nothing is pending
        self._task_ready = threading.Condition(self._lock)  # notified when a task is queued
        self._workers = 0
        self._waiting_workers = 0
        self._pending = 0  # queued + running
        self._closed = False

    def submit(self, fn, *args):
        """Run fn(*args) on a worker; its exceptions are logged, never raised to the caller."""
        with self._lock:
            if self._closed:
                raise RuntimeError('the task runner is stopped')
            self._queue.append((fn, args))
            self._pending += 1
            if self._waiting_workers:
                self._task_ready.notify()
            elif self._workers < self.max_workers:
                self._workers += 1
                threading.Thread(target=self._work, name='compute-task', daemon=True).start()

    def _work(self):
        while True:
            with self._lock:
                while not self._queue:
                    self._waiting_workers += 1
                    notified = self._task_ready.wait(IDLE_SECONDS)
                    self._waiting_workers -= 1
                    if not notified and not self._queue:
                        self._workers -= 1
                        return
                fn, args = self._queue.popleft()
            try:
                fn(*args)
            except Exception:
                LOG.exception('Task %s failed', getattr(fn, '__name__', fn))
            finally:
                with self._lock:
                    self._pending -= 1
                    if not self._pending:
                        self._idle.notify_all()

    def wait(self, timeout=None):
        """Block until every submitted task has finished; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._pending:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def stop(self, timeout=30):
        """Refuse new tasks and give running ones `timeout` seconds to finish (the rest are
        resolved by recover() at the next start)."""
        with self._lock:
            self._closed = True
        return self.wait(timeout)


class HostLock:
    """A lock file per host under [DEFAULT] state_path, held (shared) by every live process of
    that host. acquire() says whether this process is the only one."""

    def __init__(self, conf):
        os.makedirs(conf.state_path, exist_ok=True)
        name = re.sub(r'[^A-Za-z0-9_.-]', '_', conf.host)
        self.path = os.path.join(conf.state_path, 'compute-api-%s.lock' % name)
        self._fd = None

    def acquire(self, while_alone=None):
        """Take the lock; when no other process holds it, call `while_alone()` first (still
        holding it exclusively, so a sibling starting meanwhile waits). Returns whether it
        was alone."""
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fcntl.flock(self._fd, fcntl.LOCK_SH)
            return False
        try:
            if while_alone is not None:
                while_alone()
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_SH)
        return True

    def release(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def recover(services):
    """Resolve the servers a previous run of this host left in a transitional task state: a
    build becomes ERROR with a fault, a delete is completed, any other task is cleared (the
    server keeps its vm_state). The database writes happen here; driver work (destroying what
    an interrupted spawn may have left, finishing deletes) goes to the task runner, so start-up
    does not wait for the hypervisor. Returns how many servers it touched."""
    with services.store.read() as conn:
        stranded = [row for row in db.with_task_states(conn, states.TASK_STATES)
                    if row['host'] in (None, services.conf.host)]
    for instance in stranded:
        uuid, task_state = instance['uuid'], instance['task_state']
        LOG.info('Recovering server %s left in task_state %s', uuid, task_state)
        if task_state == states.DELETING:
            services.tasks.submit(servers.finish_delete, services, uuid)
        elif task_state in states.BUILD_TASK_STATES:
            now = utcnow()
            with services.store.write() as conn:
                if db.compare_and_swap(conn, uuid, task_state, {'vm_state': states.ERROR, 'task_state': None,
                                                                'updated_at': now}):
                    servers.record_fault(conn, uuid, _BuildInterrupted(), now)
                metadata = db_metadata.get(conn, uuid)
            # The spawn may have got as far as creating something.
            services.tasks.submit(servers.destroy_quietly, services.driver,
                                  servers.driver_instance(instance, metadata))
        else:
            with services.store.write() as conn:
                db.compare_and_swap(conn, uuid, task_state, {'task_state': None, 'updated_at': utcnow()})
    return len(stranded)


class _BuildInterrupted(exception.ComputeError):
    msg = 'Build interrupted: the service restarted while the server was building.'
