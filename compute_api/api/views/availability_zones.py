"""availabilityZoneInfo documents (nova's os-availability-zone)."""

_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'


def index(zones):
    return {'availabilityZoneInfo': [{'zoneName': name, 'zoneState': {'available': available}, 'hosts': None}
                                     for name, available, _services in zones]}


def _hosts(services):
    hosts = {}
    for service in services:
        hosts.setdefault(service['host'], {})[service['binary']] = {
            'available': service['up'] and not service['disabled'],
            'active': not service['disabled'],
            'updated_at': service['updated_at'].strftime(_TIME_FORMAT) if service['updated_at'] else None,
        }
    return hosts


def detail(zones):
    return {'availabilityZoneInfo': [{'zoneName': name, 'zoneState': {'available': available},
                                      'hosts': _hosts(services)}
                                     for name, available, services in zones]}
