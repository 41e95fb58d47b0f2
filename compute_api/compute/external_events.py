"""Server external events (nova's os-server-external-events): another service (Neutron) tells
compute that something happened to a server's network port.

Each event is judged on its own, as nova does: it names no server, or a server with no host yet
(nothing to deliver the event to), or it is accepted.
Nothing in this deployment waits for these events (the built-in network allocator has no ports to
plug), so an accepted event is logged and has no further effect.
"""
import logging

from compute_api import exception
from compute_api.db import instances as db

LOG = logging.getLogger(__name__)

ACCEPTED, NO_SERVER, NO_HOST = 'accepted', 'no server', 'no host'


def deliver(store, events):
    """The outcome of each event (dicts with server_uuid and name, maybe status and tag), in
    order; NotFound when no event was accepted. One query, whatever the number of events."""
    uuids = sorted({event['server_uuid'] for event in events})
    with store.read() as conn:
        rows = db.list_instances(conn, {'uuid': uuids, 'deleted': False}, [('uuid', 'asc')], len(uuids))
    host_of = {row['uuid']: row['host'] for row in rows}
    outcomes = []
    for event in events:
        if event['server_uuid'] not in host_of:
            outcomes.append(NO_SERVER)
        elif not host_of[event['server_uuid']]:
            outcomes.append(NO_HOST)
        else:
            outcomes.append(ACCEPTED)
            LOG.info('Event %s:%s for server %s on %s accepted; nothing here waits for it.', event['name'],
                     event.get('tag'), event['server_uuid'], host_of[event['server_uuid']])
    if ACCEPTED not in outcomes:
        raise exception.NotFound('No instances found for any event')
    return outcomes
