"""Documents of the remote console calls."""


def console(console_type, url):
    return {'console': {'type': console_type, 'url': url}}


def remote_console(protocol, console_type, url):
    return {'remote_console': {'protocol': protocol, 'type': console_type, 'url': url}}


def connect_info(row):
    return {'console': {'instance_uuid': row['instance_uuid'], 'host': row['host'], 'port': row['port'],
                        'internal_access_path': row['internal_access_path']}}
