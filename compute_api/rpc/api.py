"""The versioned RPC API of a compute host (as nova's compute/rpcapi.py): every method the API
sends, whether it is a cast (fire and forget: the host runs it on its task runner) or a call
(answered: the host runs it in the dispatch), and the version that introduced it.

Arguments and answers are JSON primitives whatever the transport (the in-process one passes them
through the same encoding the wire uses), so what works in-process works over RabbitMQ. A call's
domain error (compute_api.exception) travels as its class name and message and is raised again
on the API side; anything else is a remote failure.
"""
import base64
import datetime
import json

from compute_api import exception

TOPIC = 'compute'
# The newest version: a client asks for the version of its method, so a host of an older version
# refuses only what it cannot serve.
VERSION = '1.1'

CAST, CALL = 'cast', 'call'
# method -> (kind, version it appeared in)
METHODS = {
    'build_and_run_instance': (CAST, '1.0'),
    'terminate_instance': (CAST, '1.0'),
    'reboot_instance': (CAST, '1.0'),
    'stop_instance': (CAST, '1.0'),
    'start_instance': (CAST, '1.0'),
    'pause_instance': (CAST, '1.0'),
    'unpause_instance': (CAST, '1.0'),
    'suspend_instance': (CAST, '1.0'),
    'resume_instance': (CAST, '1.0'),
    'rescue_instance': (CAST, '1.0'),
    'unrescue_instance': (CAST, '1.0'),
    'set_admin_password': (CAST, '1.0'),
    'resize_instance': (CAST, '1.0'),
    'revert_resize': (CAST, '1.0'),
    'rebuild_instance': (CAST, '1.0'),
    'snapshot_instance': (CAST, '1.0'),
    'shelve_instance': (CAST, '1.0'),
    'shelve_offload_instance': (CAST, '1.0'),
    'unshelve_instance': (CAST, '1.0'),
    'get_console_output': (CALL, '1.0'),
    'get_diagnostics': (CALL, '1.0'),
    'get_console': (CALL, '1.1'),
    'get_host_uptime': (CALL, '1.0'),
    'host_maintenance_mode': (CALL, '1.0'),
    'set_host_enabled': (CALL, '1.0'),
    'host_power_action': (CALL, '1.0'),
}


def _default(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError('%s is not JSON serializable' % type(value).__name__)


def primitive(value):
    """`value` as the wire carries it (datetimes become ISO strings)."""
    return json.loads(json.dumps(value, default=_default))


def encode_files(files):
    """Injected files [(path, bytes)] as the wire carries them."""
    return [(path, base64.b64encode(contents).decode()) for path, contents in files]


def decode_files(files):
    return [(path, base64.b64decode(contents)) for path, contents in files]


class ComputeAPI:
    """The API side's client: cast(host, method, **arguments), call(host, method, **arguments)."""

    def __init__(self, transport):
        self.transport = transport

    def cast(self, host, method, **arguments):
        kind, version = METHODS[method]
        assert kind == CAST, method
        self.transport.cast(host, method, version, primitive(arguments))

    def call(self, host, method, **arguments):
        kind, version = METHODS[method]
        assert kind == CALL, method
        answer = self.transport.call(host, method, version, primitive(arguments))
        if 'error' in answer:
            cls = getattr(exception, answer['error']['class'], None)
            if isinstance(cls, type) and issubclass(cls, exception.ComputeError):
                raise cls(answer['error']['message'])
            raise exception.ComputeError(answer['error']['message'])
        return answer['result']

    def close(self):
        self.transport.close()


def dispatch(manager, tasks, method, arguments):
    """The host side of one message: a cast goes onto the task runner, a call runs here and
    returns its answer ({'result'} or {'error'}: a domain error's class name and message)."""
    kind, _version = METHODS[method]
    function = getattr(manager, method)
    if kind == CAST:
        tasks.submit(_run_cast, function, arguments)
        return None
    try:
        return primitive({'result': function(**arguments)})
    except exception.ComputeError as exc:
        return {'error': {'class': type(exc).__name__, 'message': exc.message}}


def _run_cast(function, arguments):
    function(**arguments)
