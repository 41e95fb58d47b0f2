"""The compute host's RPC endpoint: one method per method of rpc/api.py, each taking the JSON
arguments the API sent. This is the only place (with what it calls in manager/) where driver
calls happen."""
import logging
import re

from compute_api import exception
from compute_api.compute import states
from compute_api.manager import actions
from compute_api.manager import servers
from compute_api.rpc.api import decode_files
from compute_api.virt import driver as driver_mod
from compute_api.virt import power_state

LOG = logging.getLogger(__name__)

# Console output: control characters nova removes (all but tab, newline and carriage return).
_CONTROL_CHARACTERS = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f]')


def _one_call(operation, vm_state):
    """The work of an action that is one driver call taking the server to `vm_state`."""
    def work(host, row, target):
        getattr(host.driver, operation)(target)
        return {'vm_state': vm_state}
    return work


class ComputeManager:
    def __init__(self, host):
        self.host = host  # a manager.host.ComputeHost: conf, store, driver, tasks, name, node

    # -- servers ------------------------------------------------------------------------------

    def build_and_run_instance(self, instance, image, admin_password, injected_files):
        servers.build(self.host, instance, image, admin_password, decode_files(injected_files))

    def terminate_instance(self, instance_uuid):
        servers.finish_delete(self.host, instance_uuid)

    # -- actions: one driver call each ---------------------------------------------------------

    def _act(self, instance_uuid, task_state, work, on_failure, action):
        actions.run(self.host, instance_uuid, task_state, lambda row, target: work(self.host, row, target),
                    on_failure, action)

    def reboot_instance(self, instance_uuid, reboot_type):
        """reboot_type SOFT or HARD."""
        def work(host, row, target):
            host.driver.reboot(target, reboot_type)
            return {'vm_state': states.ACTIVE}
        task_state = states.REBOOTING_HARD if reboot_type == 'HARD' else states.REBOOTING
        self._act(instance_uuid, task_state, work, actions.ERROR_UNLESS_RUNNING, 'reboot')

    def stop_instance(self, instance_uuid):
        self._act(instance_uuid, states.POWERING_OFF, _one_call('power_off', states.STOPPED), actions.REVERT,
                  'stop')

    def start_instance(self, instance_uuid):
        self._act(instance_uuid, states.POWERING_ON, _one_call('power_on', states.ACTIVE), actions.REVERT,
                  'start')

    def pause_instance(self, instance_uuid):
        self._act(instance_uuid, states.PAUSING, _one_call('pause', states.PAUSED), actions.REVERT, 'pause')

    def unpause_instance(self, instance_uuid):
        self._act(instance_uuid, states.UNPAUSING, _one_call('unpause', states.ACTIVE), actions.REVERT,
                  'unpause')

    def suspend_instance(self, instance_uuid):
        self._act(instance_uuid, states.SUSPENDING, _one_call('suspend', states.SUSPENDED), actions.REVERT,
                  'suspend')

    def resume_instance(self, instance_uuid):
        self._act(instance_uuid, states.RESUMING, _one_call('resume', states.ACTIVE), actions.TO_ERROR,
                  'resume')

    def unrescue_instance(self, instance_uuid):
        self._act(instance_uuid, states.UNRESCUING, _one_call('unrescue', states.ACTIVE), actions.REVERT,
                  'unrescue')

    def rescue_instance(self, instance_uuid, image_ref, rescue_password):
        def work(host, row, target):
            host.driver.rescue(target, actions.image_with_properties(host, image_ref or row['image_ref']),
                               rescue_password)
            return {'vm_state': states.RESCUED}
        self._act(instance_uuid, states.RESCUING, work, actions.TO_ERROR, 'rescue')

    def set_admin_password(self, instance_uuid, new_pass):
        def work(host, row, target):
            host.driver.set_admin_password(target, new_pass)
            return {}
        self._act(instance_uuid, states.UPDATING_PASSWORD, work, actions.TO_ERROR, 'changePassword')

    # -- actions with several steps -------------------------------------------------------------

    def resize_instance(self, instance_uuid, flavor):
        actions.resize(self.host, instance_uuid, flavor)

    def revert_resize(self, instance_uuid, old_flavor, stopped):
        actions.revert_resize(self.host, instance_uuid, old_flavor, stopped)

    def rebuild_instance(self, instance_uuid, admin_password, injected_files):
        actions.rebuild(self.host, instance_uuid, admin_password, decode_files(injected_files))

    def snapshot_instance(self, instance_uuid, action, task_state, image_id, rotation):
        actions.upload_snapshot(self.host, instance_uuid, action, task_state, image_id, rotation)

    def shelve_instance(self, instance_uuid, image_id):
        actions.shelve(self.host, instance_uuid, image_id)

    def shelve_offload_instance(self, instance_uuid):
        row, target = actions.load(self.host, instance_uuid, states.SHELVING_OFFLOADING)
        if row is not None:
            actions.offload(self.host, target, 'shelveOffload')

    def unshelve_instance(self, instance_uuid):
        actions.unshelve(self.host, instance_uuid)

    # -- reads (calls) --------------------------------------------------------------------------

    def get_console_output(self, instance, length):
        """The last `length` lines of the serial console log (all of it when None or -1), without
        control characters."""
        try:
            output = self.host.driver.get_console_output(instance)
        except NotImplementedError:
            raise exception.NotImplementedYet('Action not supported by this hypervisor.') from None
        except Exception:
            LOG.exception('Server %s: reading the console failed', instance['uuid'])
            raise exception.ConsoleNotAvailable() from None
        if length is not None and length != -1:
            output = '\n'.join(output.split('\n')[-length:]) if length else ''
        return _CONTROL_CHARACTERS.sub('', output)

    def get_console(self, instance, protocol):
        """Where the guest's `protocol` console listens ({host, port, internal_access_path});
        NotImplementedYet for a protocol the driver never serves, InstanceNotFound when the
        driver has no such guest, ConsoleTypeUnavailable when the guest has none or reading it
        failed."""
        try:
            console = self.host.driver.get_console(instance, protocol)
        except NotImplementedError:
            raise exception.NotImplementedYet('The requested functionality is not supported.') from None
        except driver_mod.DriverInstanceNotFound:
            raise exception.InstanceNotFound(instance_id=instance['uuid']) from None
        except driver_mod.DriverError:
            LOG.exception('Server %s: reading its %s console failed', instance['uuid'], protocol)
            raise exception.ConsoleTypeUnavailable(console_type=protocol) from None
        return {'host': console.host, 'port': console.port, 'internal_access_path': console.internal_access_path}

    def get_diagnostics(self, instance):
        """The driver's figures; InstanceInvalidState when the guest is not running (nova's
        compute manager asks the driver for the power state first, as here)."""
        try:
            current = self.host.driver.get_power_state(instance)
            if current == power_state.RUNNING:
                return self.host.driver.get_diagnostics(instance)
        except driver_mod.DriverInstanceNotFound:
            current = power_state.NOSTATE  # nova's _get_power_state for a guest the driver lacks
        raise exception.InstanceInvalidState(action='get_diagnostics', instance_id=instance['uuid'],
                                             attr='power state', state=power_state.NAMES[current])

    # -- the host (os-hosts, os-hypervisors) -----------------------------------------------------

    def _host_call(self, method, *args):
        try:
            return method(*args)
        except NotImplementedError:
            raise exception.NotImplementedYet('The requested functionality is not supported.') from None

    def get_host_uptime(self):
        try:
            return self.host.driver.get_host_uptime()
        except NotImplementedError:
            raise exception.NotImplementedYet('Action not implemented') from None

    def host_maintenance_mode(self, enabled):
        return self._host_call(self.host.driver.host_maintenance_mode, enabled)

    def set_host_enabled(self, enabled):
        return self._host_call(self.host.driver.set_host_enabled, enabled)

    def host_power_action(self, action):
        return self._host_call(self.host.driver.host_power_action, action)
