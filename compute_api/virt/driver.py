"""The hypervisor driver interface, and its loading through stevedore.

A driver works on plain dicts (compute.servers.driver_instance): it never sees a request or a
database row, and reports failure by raising. Every method is called off the request path, on the
task runner, and may block. Drivers are named by entry points in the group `compute_api.drivers`
and chosen with `[DEFAULT] compute_driver`; tests/unit/virt/test_driver_contract.py is the contract
every driver passes.
"""
import abc
import dataclasses
import json
import os
import platform
import shutil
import time

from stevedore import driver as stevedore_driver

from compute_api import exception

NAMESPACE = 'compute_api.drivers'


class DriverError(exception.ComputeError):
    """A driver operation failed; the server goes to ERROR with this as its fault."""
    msg = 'The hypervisor operation failed.'


class DriverInstanceNotFound(DriverError):
    msg = 'Instance %(uuid)s is not on this hypervisor.'


@dataclasses.dataclass(frozen=True)
class Guest:
    """What a guest is given when it is spawned or rebuilt, beyond its instance dict: its
    interfaces and what it is told at boot (a driver with a config drive writes it there). The
    secrets and key material are left out of repr(), so a log line that shows a Guest shows none
    of them."""
    #: The host name the guest is told (nova: the server's hostname + [api] dhcp_domain).
    hostname: str
    #: One dict per interface, in order (compute.network.network_info): id, address (the MAC),
    #: devname, type, network {id, label, subnets [{version, cidr, gateway, ips}]}.
    network_info: tuple = ()
    key_name: str = None
    key_data: str = dataclasses.field(default=None, repr=False)
    admin_password: str = dataclasses.field(default=None, repr=False)
    #: The decoded user_data, or None.
    user_data: bytes = dataclasses.field(default=None, repr=False)
    #: The injected files (personality): ((path, bytes), ...).
    injected_files: tuple = dataclasses.field(default=(), repr=False)
    #: Whether the guest gets a config drive (compute.servers decides: asked for, or forced).
    config_drive: bool = False


@dataclasses.dataclass(frozen=True)
class Console:
    """Where a guest's remote console listens, as the console proxy reaches it."""
    host: str
    port: int
    #: A path the proxy asks for with HTTP CONNECT before relaying (nova's), or None.
    internal_access_path: str = None


class ComputeDriver(abc.ABC):
    """What the compute layer needs from a hypervisor. `instance` is a dict with at least uuid,
    instance_name, display_name, vcpus, memory_mb, root_gb, ephemeral_gb, swap, image_ref,
    metadata, project_id, availability_zone and launch_index; `image` is the image's row with its
    properties, or None (boot from volume); `guest` is a Guest."""

    #: The hypervisor node name servers are placed on (OS-EXT-SRV-ATTR:hypervisor_hostname).
    nodename = None

    def __init__(self, conf):
        self.conf = conf

    @abc.abstractmethod
    def spawn(self, instance, image, guest):
        """Create and start the instance with what `guest` holds; returns once it runs."""

    @abc.abstractmethod
    def destroy(self, instance):
        """Stop and remove the instance; an instance this driver does not have is no error."""

    @abc.abstractmethod
    def get_power_state(self, instance):
        """A compute_api.virt.power_state value; DriverInstanceNotFound if unknown."""

    @abc.abstractmethod
    def list_instances(self):
        """The uuids of the instances this driver holds."""

    @abc.abstractmethod
    def reboot(self, instance, reboot_type):
        """reboot_type: 'SOFT' or 'HARD'. The instance runs afterwards."""

    @abc.abstractmethod
    def power_off(self, instance):
        """Stop the instance, keeping it defined."""

    @abc.abstractmethod
    def power_on(self, instance):
        """Start a stopped instance."""

    @abc.abstractmethod
    def pause(self, instance):
        """Freeze the instance in memory."""

    @abc.abstractmethod
    def unpause(self, instance):
        """Resume a paused instance."""

    @abc.abstractmethod
    def suspend(self, instance):
        """Save the instance's memory to disk and stop it."""

    @abc.abstractmethod
    def resume(self, instance):
        """Restore a suspended instance."""

    @abc.abstractmethod
    def snapshot(self, instance, image_id):
        """Capture the instance's root disk as image `image_id`; returns its size in bytes."""

    @abc.abstractmethod
    def rebuild(self, instance, image, guest):
        """Re-create the instance's root disk from `image` (and its config drive from `guest`) and
        start it."""

    @abc.abstractmethod
    def resize(self, instance, flavor):
        """Give the instance the resources of `flavor` (a dict: vcpus, memory_mb, root_gb, ...)."""

    @abc.abstractmethod
    def rescue(self, instance, image, rescue_password):
        """Boot the instance from a rescue image, its disk attached."""

    @abc.abstractmethod
    def unrescue(self, instance):
        """Boot the instance from its own disk again."""

    @abc.abstractmethod
    def set_admin_password(self, instance, new_password):
        """Change the guest's administrator password."""

    @abc.abstractmethod
    def get_console_output(self, instance):
        """The instance's serial console log, as text."""

    def get_console(self, instance, protocol):
        """The Console of the running instance for `protocol` ('vnc', 'spice', 'serial', 'mks');
        exception.ConsoleTypeUnavailable when the guest has none, NotImplementedError when this
        driver never serves the protocol."""
        raise NotImplementedError()

    @abc.abstractmethod
    def get_diagnostics(self, instance):
        """The running instance's figures, named as this hypervisor names them (nova's free-form
        diagnostics before microversion 2.48): a flat dict of name -> number, with at least
        `memory`, e.g. cpu0_time, vda_read, vnet0_rx."""

    def check_server_metadata(self, metadata):
        """Refuse (exception.InvalidMetadata, a 400) a new server's metadata that this driver reads
        and cannot honour; called in the create request. By default a driver reads none."""

    # -- the node, for os-hypervisors (not abstract: the defaults describe this machine) ----------

    #: nova's hypervisor_type and hypervisor_version of this driver.
    hypervisor_type = 'unknown'
    hypervisor_version = 0

    def get_host_resources(self):
        """The node's capacity: {'vcpus', 'memory_mb', 'local_gb', 'cpu_info' (a JSON string)}.
        By default this machine's CPUs, physical memory and the disk holding state_path."""
        page_size, pages = os.sysconf('SC_PAGE_SIZE'), os.sysconf('SC_PHYS_PAGES')
        os.makedirs(self.conf.state_path, exist_ok=True)
        return {
            'vcpus': os.cpu_count() or 1,
            'memory_mb': page_size * pages // (1024 * 1024),
            'local_gb': shutil.disk_usage(self.conf.state_path).total // (1024 ** 3),
            'cpu_info': json.dumps({'arch': platform.machine()}),
        }

    # -- the host, for os-hosts (nova's libvirt implements none of these: NotImplementedError) ---

    def host_power_action(self, action):
        """Start up, shut down or reboot the host ('startup', 'shutdown', 'reboot'); its result."""
        raise NotImplementedError()

    def host_maintenance_mode(self, mode):
        """Enter (True) or leave maintenance: 'on_maintenance' or 'off_maintenance'."""
        raise NotImplementedError()

    def set_host_enabled(self, enabled):
        """Let the host take new servers or not: 'enabled' or 'disabled'."""
        raise NotImplementedError()

    def get_host_uptime(self):
        """The host's uptime as `uptime` prints it; NotImplementedError where it cannot be read."""
        try:
            with open('/proc/uptime') as uptime_file:
                seconds = int(float(uptime_file.read().split()[0]))
            load = os.getloadavg()
        except (OSError, ValueError, IndexError):
            raise NotImplementedError()
        days, rest = divmod(seconds, 86400)
        now = time.strftime('%H:%M:%S', time.gmtime())
        return ' %s up %d days, %2d:%02d,  load average: %.2f, %.2f, %.2f' % (
            now, days, rest // 3600, rest % 3600 // 60, *load)

def load_driver(conf, name=None):
    """The driver named by `name` or `[DEFAULT] compute_driver`, constructed with `conf`."""
    manager = stevedore_driver.DriverManager(NAMESPACE, name or conf.compute_driver, invoke_on_load=True,
                                             invoke_args=(conf,))
    return manager.driver
