"""Key pair queries: the key_pairs table. Key pairs belong to a user (not a project)."""
import sqlalchemy as sa

from compute_api.db import models
from compute_api.db import store as store_mod

K = models.key_pairs


def list_for_user(conn, user_id):
    return conn.execute(sa.select(K).where(K.c.user_id == user_id)
                        .order_by(K.c.name, K.c.id)).mappings().all()


def get(conn, user_id, name):
    """The user's key pair called `name`, or None."""
    return conn.execute(sa.select(K).where(K.c.user_id == user_id).where(K.c.name == name)).mappings().first()


def count_for_user(conn, user_id, locking=False):
    """The user's key pairs; `locking` reads the latest committed rows on MariaDB/MySQL, whose
    REPEATABLE READ snapshot would not (call it under the quota lock)."""
    query = sa.select(sa.func.count()).select_from(K).where(K.c.user_id == user_id)
    if locking and conn.dialect.name in ('mysql', 'mariadb'):
        query = query.with_for_update(read=True)
    return conn.execute(query).scalar_one()


def create(conn, user_id, name, public_key, fingerprint, key_type='ssh'):
    """Insert a key pair (IntegrityError when the user already has one of that name); the new row."""
    conn.execute(K.insert().values(user_id=user_id, name=name, public_key=public_key, fingerprint=fingerprint,
                                   type=key_type, created_at=store_mod.utcnow()))
    return get(conn, user_id, name)


def delete(conn, user_id, name):
    """Whether a key pair was deleted."""
    return conn.execute(K.delete().where(K.c.user_id == user_id).where(K.c.name == name)).rowcount > 0
