"""Service documents (nova's os-services at 2.1)."""

_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'


def service(record):
    return {
        'id': record['id'],
        'binary': record['binary'],
        'host': record['host'],
        'zone': record['zone'],
        'status': 'disabled' if record['disabled'] else 'enabled',
        'state': 'up' if record['up'] else 'down',
        'updated_at': record['updated_at'].strftime(_TIME_FORMAT) if record['updated_at'] else None,
        'disabled_reason': record['disabled_reason'],
    }
