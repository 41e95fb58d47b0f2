"""Console tokens, by the SHA-256 of the token (the token itself is never stored)."""
import sqlalchemy as sa

from compute_api.db import models

T = models.console_auth_tokens
INS = models.instances


def create(conn, values, now):
    """Insert a token row; the server's expired tokens go at the same time (nova removes them
    periodically per host; here each new token sweeps its own server's)."""
    conn.execute(T.delete().where(T.c.instance_uuid == values['instance_uuid']).where(T.c.expires <= now))
    conn.execute(T.insert().values(created_at=now, **values))


def get_valid(conn, token_hash, now):
    """The row of an unexpired token of a live server, or None (a token issued while its server
    was being deleted outlives the delete's sweep, but not this)."""
    return conn.execute(sa.select(T).join(INS, INS.c.uuid == T.c.instance_uuid)
                        .where(T.c.token_hash == token_hash).where(T.c.expires > now)
                        .where(INS.c.deleted == sa.false())).mappings().first()


def delete_for_instance(conn, instance_uuid):
    conn.execute(T.delete().where(T.c.instance_uuid == instance_uuid))
