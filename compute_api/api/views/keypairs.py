"""Key pair documents: `with_type` from 2.2; show adds the row's bookkeeping fields."""

_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'


def _time(value):
    return value.strftime(_TIME_FORMAT) if value is not None else None


def summary(keypair, with_type):
    body = {'name': keypair['name'], 'public_key': keypair['public_key'], 'fingerprint': keypair['fingerprint']}
    if with_type:
        body['type'] = keypair['type']
    return body


def index(keypairs, with_type):
    return {'keypairs': [{'keypair': summary(keypair, with_type)} for keypair in keypairs]}


def created(keypair, private_key, with_type):
    body = dict(summary(keypair, with_type), user_id=keypair['user_id'])
    if private_key is not None:
        body['private_key'] = private_key
    return {'keypair': body}


def detail(keypair, with_type):
    return {'keypair': dict(summary(keypair, with_type), user_id=keypair['user_id'], id=keypair['id'],
                            created_at=_time(keypair['created_at']), updated_at=_time(keypair['updated_at']),
                            deleted_at=None, deleted=False)}
