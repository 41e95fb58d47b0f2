"""The fake hypervisor: instances live in this process's memory.

For testing tooling against slow or failing builds (as mimic allows), a server's metadata can ask
for them: `fake:spawn_delay` (seconds) delays its spawn; `fake:fail` names operations that fail
for it (comma-separated: spawn, destroy, reboot, snapshot, resize, rebuild, power_off, power_on,
pause, unpause, suspend, resume, rescue, unrescue, set_admin_password, get_console). `[fake] spawn_delay` and
`[fake] operation_delay` slow every server down. A spawn delay holds one of the task threads that
every build of the process shares, so a create may ask for at most `[fake] max_spawn_delay`.

Each instance keeps what its last spawn or rebuild was given (the driver.Guest and, when it gets
one, its config drive's files), which given() shows tests.
"""
import math
import threading
import time

from compute_api import exception
from compute_api.virt import configdrive
from compute_api.virt import driver
from compute_api.virt import power_state

NODENAME = 'fake-mini'
SPAWN_DELAY_KEY = 'fake:spawn_delay'


class FakeDriver(driver.ComputeDriver):
    nodename = NODENAME

    def __init__(self, conf):
        super().__init__(conf)
        # uuid -> {'power_state': ..., 'image_ref': the server's, 'spawned_from': the id of the
        # image spawn was given, 'guest', 'config_drive', ...}
        self._instances = {}
        self._lock = threading.Lock()
    hypervisor_type = 'fake'
    hypervisor_version = 1000
    # A roomy, fixed node, so that tests and capacity views do not depend on the machine.
    RESOURCES = {'vcpus': 1000, 'memory_mb': 800000, 'local_gb': 600000,
                 'cpu_info': '{"arch": "x86_64", "model": "Nehalem", "vendor": "Intel", '
                             '"features": ["pge", "clflush"], "topology": {"cores": 1, "threads": 1, "sockets": 4}}'}
    UPTIME = ' 08:32:11 up 93 days, 18:25, 12 users,  load average: 0.20, 0.12, 0.14'

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _failing(instance, operation):
        wanted = (instance.get('metadata') or {}).get('fake:fail', '')
        if operation in {name.strip() for name in wanted.split(',')}:
            raise driver.DriverError('The fake driver was asked to fail %s.' % operation)

    def _requested_spawn_delay(self, metadata):
        """The seconds `metadata` asks a spawn to take (None: it does not ask); ValueError with
        the reason when that is not a number from 0 to [fake] max_spawn_delay."""
        requested = (metadata or {}).get(SPAWN_DELAY_KEY)
        if requested is None:
            return None
        limit = self.conf.fake.max_spawn_delay
        try:
            delay = float(requested)
        except ValueError:
            delay = math.nan
        if not 0.0 <= delay <= limit:
            raise ValueError('%s must be a number of seconds from 0 to %g.' % (SPAWN_DELAY_KEY, limit))
        return delay

    def _delay(self):
        if self.conf.fake.operation_delay:
            time.sleep(self.conf.fake.operation_delay)

    def _operate(self, instance, operation, expected, new_state):
        """Check the failure injection, wait, then move the instance from one of `expected`
        power states (any when None) to `new_state`."""
        self._failing(instance, operation)
        self._delay()
        with self._lock:
            record = self._instances.get(instance['uuid'])
            if record is None:
                raise driver.DriverInstanceNotFound(uuid=instance['uuid'])
            if expected is not None and record['power_state'] not in expected:
                raise driver.DriverError('Cannot %s an instance that is %s.' % (
                    operation, power_state.NAMES[record['power_state']]))
            record['power_state'] = new_state
            return record

    # -- the interface -------------------------------------------------------------------------

    @staticmethod
    def _boot_data(instance, guest):
        """What a spawn or rebuild records of `guest`: itself, and its config drive's files."""
        return {'guest': guest, 'admin_password': guest.admin_password,
                'config_drive': configdrive.files(instance, guest) if guest.config_drive else None}

    def given(self, uuid):
        """(driver.Guest, the config drive's {path: bytes} or None) that the instance `uuid` was
        given at its last spawn or rebuild, for tests to see what reached the guest."""
        with self._lock:
            record = self._instances[uuid]
            return record['guest'], record['config_drive']

    def spawn(self, instance, image, guest):
        self._failing(instance, 'spawn')
        try:
            requested = self._requested_spawn_delay(instance.get('metadata'))
        except ValueError as error:
            raise driver.DriverError(str(error)) from None
        delay = self.conf.fake.spawn_delay if requested is None else requested
        if delay:
            time.sleep(delay)
        boot_data = self._boot_data(instance, guest)
        with self._lock:
            self._instances[instance['uuid']] = {
                'power_state': power_state.RUNNING, 'image_ref': instance.get('image_ref'),
                'spawned_from': image['id'] if image else None,
                'memory_mb': instance.get('memory_mb'), 'vcpus': instance.get('vcpus'),
                'console': _boot_log(instance), **boot_data}

    def check_server_metadata(self, metadata):
        try:
            self._requested_spawn_delay(metadata)
        except ValueError as error:
            raise exception.InvalidMetadata(reason=str(error)) from None

    def destroy(self, instance):
        self._failing(instance, 'destroy')
        self._delay()
        with self._lock:
            self._instances.pop(instance['uuid'], None)

    def get_power_state(self, instance):
        with self._lock:
            record = self._instances.get(instance['uuid'])
        if record is None:
            raise driver.DriverInstanceNotFound(uuid=instance['uuid'])
        return record['power_state']

    def list_instances(self):
        with self._lock:
            return list(self._instances)

    def reboot(self, instance, reboot_type):
        self._operate(instance, 'reboot', None, power_state.RUNNING)

    def power_off(self, instance):
        self._operate(instance, 'power_off', None, power_state.SHUTDOWN)

    def power_on(self, instance):
        self._operate(instance, 'power_on', None, power_state.RUNNING)

    def pause(self, instance):
        self._operate(instance, 'pause', {power_state.RUNNING}, power_state.PAUSED)

    def unpause(self, instance):
        self._operate(instance, 'unpause', {power_state.PAUSED}, power_state.RUNNING)

    def suspend(self, instance):
        self._operate(instance, 'suspend', {power_state.RUNNING}, power_state.SUSPENDED)

    def resume(self, instance):
        self._operate(instance, 'resume', {power_state.SUSPENDED}, power_state.RUNNING)

    def snapshot(self, instance, image_id):
        self._operate(instance, 'snapshot', None, self.get_power_state(instance))
        return int(instance.get('root_gb') or 0) * 1024 ** 3 or 1024 ** 2

    def rebuild(self, instance, image, guest):
        record = self._operate(instance, 'rebuild', None, power_state.RUNNING)
        boot_data = self._boot_data(instance, guest)
        with self._lock:
            record['image_ref'] = instance.get('image_ref')
            record.update(boot_data)

    def resize(self, instance, flavor):
        record = self._operate(instance, 'resize', None, power_state.RUNNING)
        with self._lock:
            record['memory_mb'], record['vcpus'] = flavor['memory_mb'], flavor['vcpus']

    def rescue(self, instance, image, rescue_password):
        self._operate(instance, 'rescue', None, power_state.RUNNING)

    def unrescue(self, instance):
        self._operate(instance, 'unrescue', None, power_state.RUNNING)

    def set_admin_password(self, instance, new_password):
        record = self._operate(instance, 'set_admin_password', {power_state.RUNNING}, power_state.RUNNING)
        with self._lock:
            record['admin_password'] = new_password

    def get_host_resources(self):
        return dict(self.RESOURCES)

    def get_host_uptime(self):
        return self.UPTIME

    # As nova's fake driver: the host actions succeed and change nothing.
    def host_power_action(self, action):
        return action

    def host_maintenance_mode(self, mode):
        return 'on_maintenance' if mode else 'off_maintenance'

    def set_host_enabled(self, enabled):
        return 'enabled' if enabled else 'disabled'

    def get_console_output(self, instance):
        with self._lock:
            record = self._instances.get(instance['uuid'])
        if record is None:
            raise driver.DriverInstanceNotFound(uuid=instance['uuid'])
        return record['console']

    def get_console(self, instance, protocol):
        """Every server's console of a protocol is the same [fake] <protocol>_host and _port
        (nova's fake: fakevncconsole.com:6969); no mks."""
        if protocol not in ('vnc', 'spice', 'serial'):
            raise NotImplementedError()
        self._failing(instance, 'get_console')
        self.get_power_state(instance)  # DriverInstanceNotFound for an instance it does not hold
        fake = self.conf.fake
        return driver.Console(host=getattr(fake, protocol + '_host'), port=getattr(fake, protocol + '_port'))

    # nova's fake driver's figures: fixed, so that tests can name them.
    DIAGNOSTICS = {'cpu0_time': 17300000000, 'memory': 524288, 'vda_errors': -1, 'vda_read': 262144,
                   'vda_read_req': 112, 'vda_write': 5778432, 'vda_write_req': 488, 'vnet1_rx': 2070139,
                   'vnet1_rx_drop': 0, 'vnet1_rx_errors': 0, 'vnet1_rx_packets': 26701, 'vnet1_tx': 140208,
                   'vnet1_tx_drop': 0, 'vnet1_tx_errors': 0, 'vnet1_tx_packets': 662}

    def get_diagnostics(self, instance):
        self.get_power_state(instance)  # DriverInstanceNotFound for an instance it does not hold
        return dict(self.DIAGNOSTICS)


def _boot_log(instance):
    """A serial console log as a booted guest leaves one: long enough for clients that read its
    tail (tempest asks for the last 10 lines and expects more than 15 in all)."""
    lines = ['[    0.000000] Linux version 6.1.0-fake (fake@compute-api) #1 SMP',
             '[    0.000000] Command line: console=ttyS0 root=/dev/vda1']
    lines += ['[    %d.%06d] fake: boot step %d' % (step // 10, step * 4099 % 1000000, step) for step in range(1, 21)]
    lines += ['', '%s login: ' % (instance.get('display_name') or instance['uuid'])]
    return '\n'.join(lines) + '\n'
