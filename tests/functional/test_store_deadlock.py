"""Store.transact: a transaction the database picks as a deadlock's victim is run again (nova's
retry_on_deadlock), on the real databases; other errors are not retried."""
import threading

import pytest
import sqlalchemy as sa

from compute_api.db import models
from compute_api.db import store as store_mod

LOCKS = models.quota_locks


def _touch(conn, project_id):
    conn.execute(LOCKS.update().where(LOCKS.c.project_id == project_id).values(updated_at=store_mod.utcnow()))


def test_both_sides_of_a_real_deadlock_commit(store):
    if store.dialect == 'sqlite':
        pytest.skip('SQLite runs one writer at a time: its transactions cannot deadlock')
    with store.write() as conn:
        conn.execute(LOCKS.insert(), [{'project_id': 'a'}, {'project_id': 'b'}])
    both_hold_one = threading.Barrier(2, timeout=30)
    attempts, errors = [], []

    def lock_in_order(first, second):
        def work(conn):
            attempts.append(first)
            _touch(conn, first)
            if attempts.count(first) == 1:
                both_hold_one.wait()  # each holds its first row: the second locks cross
            _touch(conn, second)
        try:
            store.transact(work)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=lock_in_order, args=pair) for pair in (('a', 'b'), ('b', 'a'))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(attempts) == 3  # one of the two ran again
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(LOCKS)
                            .where(LOCKS.c.updated_at.isnot(None))).scalar() == 2


class _Victim(Exception):
    def __init__(self, sqlstate=None, args=()):
        super().__init__(*args)
        self.sqlstate = sqlstate


@pytest.mark.parametrize('orig', [_Victim(sqlstate='40P01'), _Victim(args=(1213, 'Deadlock found'))])
def test_a_deadlock_victim_runs_again_and_other_errors_do_not(store, orig):
    calls = []

    def deadlocked_once(conn):
        calls.append(1)
        if len(calls) == 1:
            raise sa.exc.OperationalError('UPDATE ...', {}, orig)
        return 'done'
    assert store.transact(deadlocked_once) == 'done'
    assert len(calls) == 2

    def broken(conn):
        calls.append(1)
        raise sa.exc.OperationalError('UPDATE ...', {}, _Victim(args=(2013, 'Lost connection')))
    calls.clear()
    with pytest.raises(sa.exc.OperationalError):
        store.transact(broken)
    assert len(calls) == 1


def test_a_unique_constraint_failure_runs_again_only_when_asked(store):
    calls = []

    def duplicate_once(conn):
        calls.append(1)
        if len(calls) == 1:
            raise sa.exc.IntegrityError('INSERT ...', {}, Exception('duplicate key'))
        return 'done'
    assert store.transact(duplicate_once, retry_duplicate=True) == 'done'
    assert len(calls) == 2
    calls.clear()
    with pytest.raises(sa.exc.IntegrityError):
        store.transact(duplicate_once)
    assert len(calls) == 1
