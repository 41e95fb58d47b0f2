"""tenant_usage documents: times as nova prints datetimes (no zone, microseconds)."""

_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'
_TIMES = ('start', 'stop', 'started_at', 'ended_at')


def _times(document):
    return {key: (value.strftime(_TIME_FORMAT) if key in _TIMES and value is not None else value)
            for key, value in document.items()}


def tenant_usage(usage):
    document = _times(usage)
    if 'server_usages' in usage:
        document['server_usages'] = [_times(server) for server in usage['server_usages']]
    return document


def index(usages):
    return {'tenant_usages': [tenant_usage(usage) for usage in usages]}


def show(usages):
    return {'tenant_usage': tenant_usage(usages[0]) if usages else {}}
