"""Instance actions (os-instance-actions): one row per action taken on a server, nova's record of
who asked for what and how it ended. Callers hold the transaction."""
import sqlalchemy as sa

from compute_api.db import models

A = models.instance_actions

# nova's message for an action that failed.
ERROR_MESSAGE = 'Error'


_INSERT = A.insert()


def start(conn, context, uuids, action, now):
    """Record that `context` started `action` on the servers `uuids` (its request id names it)."""
    conn.execute(_INSERT, [{'instance_uuid': uuid, 'action': action, 'request_id': context.request_id,
                            'user_id': context.user_id, 'project_id': context.project_id, 'start_time': now}
                           for uuid in uuids])


def finish(conn, uuid, action, now, failed=False):
    """Close the latest unfinished `action` of the server, as failed or not."""
    action_id = conn.execute(sa.select(sa.func.max(A.c.id)).where(A.c.instance_uuid == uuid)
                             .where(A.c.action == action).where(A.c.finish_time.is_(None))).scalar()
    if action_id is not None:
        conn.execute(A.update().where(A.c.id == action_id).values(
            finish_time=now, message=ERROR_MESSAGE if failed else None))


_FINISH_CREATE = (A.update().where(A.c.instance_uuid == sa.bindparam('finished_uuid'))
                  .where(A.c.action == 'create').where(A.c.finish_time.is_(None)))


def finish_create(conn, uuid, now, failed=False):
    """finish() for the server's create action, in one statement: a server has only one."""
    conn.execute(_FINISH_CREATE, {'finished_uuid': uuid, 'finish_time': now,
                                  'message': ERROR_MESSAGE if failed else None})


def list_for(conn, uuid):
    """The server's actions, newest first."""
    return conn.execute(sa.select(A).where(A.c.instance_uuid == uuid)
                        .order_by(A.c.start_time.desc(), A.c.id.desc())).mappings().all()


def get(conn, uuid, request_id):
    """The server's action of request `request_id`, or None."""
    return conn.execute(sa.select(A).where(A.c.instance_uuid == uuid).where(A.c.request_id == request_id)
                        .order_by(A.c.id.desc())).mappings().first()
