"""The compute host's task runner: driver work off the caller's thread (an RPC cast's dispatch,
or a request's in the in-process default).

TaskRunner runs submitted functions on at most [DEFAULT] task_workers threads, started on
demand and ended after IDLE_SECONDS without work (so an idle process holds no worker for long,
and a busy one does not start a thread per task). The development
server monkey-patches threading with eventlet, which makes these green threads; under gunicorn
or uwsgi they are OS threads. Nothing here is durable: the database is. A task that dies with
its process leaves its server in a transitional task_state, and the host's start-up recovery
(manager/host.py) resolves those at the next start.
"""
import collections
import logging
import threading
import time

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
        resolved by the recovery at the next start)."""
        with self._lock:
            self._closed = True
        return self.wait(timeout)
