"""Key pair documents (nova 2.1: no type; show adds the row's bookkeeping fields)."""

_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'


def _time(value):
    return value.strftime(_TIME_FORMAT) if value is not None else None


def summary(keypair):
    return {'name': keypair['name'], 'public_key': keypair['public_key'], 'fingerprint': keypair['fingerprint']}


def index(keypairs):
    return {'keypairs': [{'keypair': summary(keypair)} for keypair in keypairs]}


def created(keypair, private_key=None):
    body = dict(summary(keypair), user_id=keypair['user_id'])
    if private_key is not None:
        body['private_key'] = private_key
    return {'keypair': body}


def detail(keypair):
    return {'keypair': dict(summary(keypair), user_id=keypair['user_id'], id=keypair['id'],
                            created_at=_time(keypair['created_at']), updated_at=_time(keypair['updated_at']),
                            deleted_at=None, deleted=False)}
