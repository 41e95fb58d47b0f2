"""aggregate documents (nova 2.1: no uuid). Aggregates are deleted outright, so deleted is
always false and deleted_at null."""


def _time(value):
    return value.isoformat() if value is not None else None


def aggregate(aggregate):
    return {'id': aggregate['id'], 'name': aggregate['name'],
            'availability_zone': aggregate['metadata'].get('availability_zone'),
            'hosts': list(aggregate['hosts']), 'metadata': dict(aggregate['metadata']),
            'created_at': _time(aggregate['created_at']), 'updated_at': _time(aggregate['updated_at']),
            'deleted_at': None, 'deleted': False}


def created(aggregate_row):
    """A create's answer leaves out hosts and metadata, as nova's does."""
    document = aggregate(aggregate_row)
    del document['hosts'], document['metadata']
    return {'aggregate': document}


def index(aggregates):
    return {'aggregates': [aggregate(a) for a in aggregates]}
