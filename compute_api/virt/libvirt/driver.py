"""The libvirt driver: servers are libvirt domains on `[libvirt] connection_uri`.

`[libvirt] virt_type` is the domain type written in the XML: kvm or qemu on a real host, test with
libvirt's built-in test hypervisor (test:///default), which keeps domains in this process's memory
and needs no disk files. Each server's files live in `<images_path>/<uuid>/` (images_path defaults
to state_path/instances): `disk`, `disk.rescue`, `disk.config` (the config drive, an ISO 9660
image attached as a cdrom, when the guest gets one) and `console.log`. Each of the guest's
interfaces is a virtio NIC with the MAC the allocator recorded, on `[libvirt] bridge` or else the
libvirt network `[libvirt] network_name`. A local image file at
`<images_path>/_base/<image id>` backs the root disk (as a qcow2 overlay, when qemu-img is
installed); snapshots are written there too, so a snapshot can boot new servers.

Every call blocks (the task runner calls drivers off the request path). One connection is shared;
it is opened on first use and re-opened when it has dropped.
"""
import contextlib
import json
import logging
import os
import shutil
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

try:
    import libvirt
except ImportError:  # the optional extra `libvirt`; load_driver reports it
    libvirt = None

from compute_api import exception
from compute_api.virt import configdrive
from compute_api.virt import driver
from compute_api.virt import power_state

LOG = logging.getLogger(__name__)
METADATA_NS = 'http://openstack.org/xmlns/libvirt/compute-api/1.0'
METADATA_PREFIX = 'compute'
ET.register_namespace(METADATA_PREFIX, METADATA_NS)

GiB = 1024 ** 3
# How long a clean shutdown may take before the domain is destroyed (nova's default).
SHUTDOWN_TIMEOUT = 60.0
SHUTDOWN_POLL = 0.5
# nova keeps the last 100 KiB of the console log.
MAX_CONSOLE_BYTES = 100 * 1024
ROOT_DEVICE, RESCUE_DEVICE = 'vda', 'vdb'
# The config drive's cdrom: SATA works on both i440fx and q35 machines (IDE only on i440fx).
CONFIG_DRIVE_DEVICE, CONFIG_DRIVE_BUS = 'sda', 'sata'
CONFIG_DRIVE_FILE = 'disk.config'


def _libvirt_states():
    return {
        libvirt.VIR_DOMAIN_NOSTATE: power_state.NOSTATE,
        libvirt.VIR_DOMAIN_RUNNING: power_state.RUNNING,
        libvirt.VIR_DOMAIN_BLOCKED: power_state.RUNNING,
        libvirt.VIR_DOMAIN_PAUSED: power_state.PAUSED,
        libvirt.VIR_DOMAIN_SHUTDOWN: power_state.SHUTDOWN,
        libvirt.VIR_DOMAIN_SHUTOFF: power_state.SHUTDOWN,
        libvirt.VIR_DOMAIN_CRASHED: power_state.CRASHED,
        libvirt.VIR_DOMAIN_PMSUSPENDED: power_state.SUSPENDED,
    }


def map_power_state(domain_state, has_managed_save=False):
    """compute_api's power state of a libvirt domain state; a shut-off domain with a managed
    save image is suspended (it resumes where it stopped)."""
    if domain_state == libvirt.VIR_DOMAIN_SHUTOFF and has_managed_save:
        return power_state.SUSPENDED
    return _libvirt_states().get(domain_state, power_state.NOSTATE)


def _ignore_libvirt_error(_context, _error):
    """libvirt prints every error to stderr by default; ours are raised and handled instead."""


@contextlib.contextmanager
def translated_errors(uuid=None):
    """libvirt errors as driver errors: a missing domain is DriverInstanceNotFound."""
    try:
        yield
    except libvirt.libvirtError as error:
        if uuid is not None and error.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            raise driver.DriverInstanceNotFound(uuid=uuid) from error
        raise driver.DriverError('libvirt: %s' % (error.get_error_message() or error)) from error


@contextlib.contextmanager
def _ignoring(*error_codes):
    try:
        yield
    except libvirt.libvirtError as error:
        if error.get_error_code() not in error_codes:
            raise


@contextlib.contextmanager
def _ignoring_any():
    """For figures a hypervisor may not give (libvirt raises for what it does not support)."""
    try:
        yield
    except libvirt.libvirtError as error:
        LOG.debug('libvirt does not give a figure: %s', error)


def _element(parent, tag, text=None, **attributes):
    child = ET.SubElement(parent, tag, {key.rstrip('_'): str(value) for key, value in attributes.items()})
    if text is not None:
        child.text = str(text)
    return child


class LibvirtDriver(driver.ComputeDriver):

    def __init__(self, conf):
        if libvirt is None:
            raise driver.DriverError('The libvirt driver needs libvirt-python (pip install compute-api[libvirt]).')
        super().__init__(conf)
        libvirt.registerErrorHandler(_ignore_libvirt_error, None)
        self._connection = None
        self._connect_lock = threading.Lock()
        self._node = None  # (hostname, hypervisor type, version) once libvirt has answered

    # -- the connection ---------------------------------------------------------------------------

    @property
    def _conn(self):
        """The shared connection, opened (again) when there is none alive."""
        with self._connect_lock:
            connection = self._connection
            if connection is not None:
                try:
                    if connection.isAlive():
                        return connection
                except libvirt.libvirtError:
                    pass
                LOG.warning('The libvirt connection to %s dropped; reconnecting.', self.conf.libvirt.connection_uri)
                with contextlib.suppress(libvirt.libvirtError):
                    connection.close()
                self._connection = None
            with translated_errors():
                self._connection = libvirt.open(self.conf.libvirt.connection_uri)
            return self._connection

    def _domain(self, instance):
        with translated_errors(instance['uuid']):
            return self._conn.lookupByUUIDString(instance['uuid'])

    @property
    def _is_test(self):
        return self.conf.libvirt.virt_type == 'test'

    # -- the node ---------------------------------------------------------------------------------

    def _node_facts(self):
        if self._node is None:
            try:
                with translated_errors():
                    conn = self._conn
                    self._node = (conn.getHostname(), conn.getType(), conn.getVersion())
            except driver.DriverError as error:
                LOG.warning('libvirt at %s does not answer: %s', self.conf.libvirt.connection_uri, error)
                return None, self.conf.libvirt.virt_type.upper(), 0
        return self._node

    @property
    def nodename(self):
        return self._node_facts()[0]

    @property
    def hypervisor_type(self):
        return self._node_facts()[1]

    @property
    def hypervisor_version(self):
        return self._node_facts()[2]

    def get_host_resources(self):
        with translated_errors():
            model, memory_mb, cpus, _mhz, _nodes, sockets, cores, threads = self._conn.getInfo()
            capabilities = ET.fromstring(self._conn.getCapabilities())
        host_cpu = capabilities.find('host/cpu')
        cpu_info = {'arch': model, 'topology': {'sockets': sockets, 'cores': cores, 'threads': threads}}
        if host_cpu is not None:
            cpu_info.update(model=host_cpu.findtext('model'), vendor=host_cpu.findtext('vendor'),
                            features=sorted(feature.get('name') for feature in host_cpu.findall('feature')
                                            if feature.get('name')))
        os.makedirs(self._images_path(), exist_ok=True)
        return {'vcpus': cpus, 'memory_mb': memory_mb,
                'local_gb': shutil.disk_usage(self._images_path()).total // GiB,
                'cpu_info': json.dumps(cpu_info)}

    # -- files ------------------------------------------------------------------------------------

    def _images_path(self):
        return self.conf.libvirt.images_path or os.path.join(self.conf.state_path, 'instances')

    def _instance_path(self, instance, name=''):
        return os.path.join(self._images_path(), instance['uuid'], name)

    def _base_image_path(self, image_id):
        return os.path.join(self._images_path(), '_base', image_id)

    def _disk_format(self):
        return 'qcow2' if shutil.which('qemu-img') else 'raw'

    def _create_disk(self, path, image, size_gb):
        """A disk for a real hypervisor: a qcow2 overlay of the image's local file (blank when
        there is none) with qemu-img, else a sparse raw file. The test hypervisor needs none."""
        if self._is_test:
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        size = max(int(size_gb or 0), 1) * GiB
        if self._disk_format() == 'qcow2':
            command = ['qemu-img', 'create', '-f', 'qcow2']
            base = self._base_image_path(image['id']) if image else None
            if base and os.path.exists(base):
                command += ['-b', base, '-F', self._qemu_img_format(base)]
            self._qemu_img(command + [path, str(size)])
        else:
            with open(path, 'wb') as disk:
                disk.truncate(size)

    def _qemu_img_format(self, path):
        return json.loads(self._qemu_img(['qemu-img', 'info', '--output=json', '-U', path]))['format']

    @staticmethod
    def _qemu_img(command):
        try:
            return subprocess.run(command, check=True, capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError) as error:
            detail = getattr(error, 'stderr', None) or str(error)
            raise driver.DriverError('qemu-img failed: %s' % detail.strip()) from error

    # -- the domain XML ---------------------------------------------------------------------------

    def _disk_xml(self, devices, path, device):
        disk = _element(devices, 'disk', type_='file', device='disk')
        _element(disk, 'driver', name='qemu', type_='qcow2' if self._disk_format() == 'qcow2' and not self._is_test
                 else 'raw')
        _element(disk, 'source', file=path)
        _element(disk, 'target', dev=device, bus='virtio')
        return disk

    def _interface_xml(self, devices, vif):
        bridge = self.conf.libvirt.bridge
        interface = _element(devices, 'interface', type_='bridge' if bridge else 'network')
        _element(interface, 'mac', address=vif['address'])
        if bridge:
            _element(interface, 'source', bridge=bridge)
        else:
            _element(interface, 'source', network=self.conf.libvirt.network_name)
        _element(interface, 'model', type_='virtio')
        _element(interface, 'target', dev=vif['devname'])

    def _config_drive_xml(self, devices, instance):
        disk = _element(devices, 'disk', type_='file', device='cdrom')
        _element(disk, 'driver', name='qemu', type_='raw')
        _element(disk, 'source', file=self._instance_path(instance, CONFIG_DRIVE_FILE))
        _element(disk, 'target', dev=CONFIG_DRIVE_DEVICE, bus=CONFIG_DRIVE_BUS)
        _element(disk, 'readonly')

    def _write_config_drive(self, instance, guest):
        """The guest's config drive image, made again (a rebuild's password and files are new);
        removed when the guest gets none. Written on the test hypervisor too, so it can be read."""
        path = self._instance_path(instance, CONFIG_DRIVE_FILE)
        if not guest.config_drive:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            configdrive.write_iso(configdrive.files(instance, guest), path)
        except OSError as error:
            raise driver.DriverError('Writing the config drive failed: %s' % error) from error

    def domain_xml(self, instance, image=None, guest=None):
        """The domain definition of `instance` (a driver instance dict) for `guest` (a
        driver.Guest: its interfaces, its config drive)."""
        domain = ET.Element('domain', type=self.conf.libvirt.virt_type)
        _element(domain, 'name', instance['instance_name'])
        _element(domain, 'uuid', instance['uuid'])
        metadata = _element(domain, 'metadata')
        own = _element(metadata, '{%s}instance' % METADATA_NS)
        _element(own, '{%s}name' % METADATA_NS, instance.get('display_name') or '')
        _element(own, '{%s}image' % METADATA_NS, uuid=(image or {}).get('id') or instance.get('image_ref') or '')
        _element(domain, 'memory', instance['memory_mb'], unit='MiB')
        _element(domain, 'vcpu', instance['vcpus'])
        os_element = _element(domain, 'os')
        _element(os_element, 'type', 'hvm')
        _element(os_element, 'boot', dev='hd')
        if not self._is_test:
            features = _element(domain, 'features')
            _element(features, 'acpi')
            _element(features, 'apic')
        _element(domain, 'on_poweroff', 'destroy')
        _element(domain, 'on_reboot', 'restart')
        _element(domain, 'on_crash', 'destroy')
        devices = _element(domain, 'devices')
        self._disk_xml(devices, self._instance_path(instance, 'disk'), ROOT_DEVICE)
        if guest is not None and guest.config_drive:
            self._config_drive_xml(devices, instance)
        for vif in guest.network_info if guest is not None else ():
            self._interface_xml(devices, vif)
        console_log = self._instance_path(instance, 'console.log')
        serial = _element(devices, 'serial', type_='file')
        _element(serial, 'source', path=console_log)
        console = _element(devices, 'console', type_='file')
        _element(console, 'source', path=console_log)
        # Graphics consoles on ports libvirt picks at start (get_console reads them back).
        if self.conf.vnc.enabled:
            _element(devices, 'graphics', type_='vnc', autoport='yes', listen=self.conf.vnc.server_listen)
        if self.conf.spice.enabled:
            _element(devices, 'graphics', type_='spice', autoport='yes', listen=self.conf.spice.server_listen)
        if not self._is_test:
            # The guest agent's channel: set_admin_password goes through it.
            channel = _element(devices, 'channel', type_='unix')
            _element(channel, 'target', type_='virtio', name='org.qemu.guest_agent.0')
        return ET.tostring(domain, encoding='unicode')

    def _inactive_xml(self, domain):
        return ET.fromstring(domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))

    def _redefine(self, tree):
        self._conn.defineXML(ET.tostring(tree, encoding='unicode'))

    # -- power ------------------------------------------------------------------------------------

    @staticmethod
    def _stop(domain):
        """Off now, whatever state it is in; its definition stays."""
        if domain.isActive():
            domain.destroy()
        if domain.hasManagedSaveImage(0):
            domain.managedSaveRemove(0)

    def _restart(self, instance, change=None):
        """Off, `change(domain)` applied to the stopped domain, then started."""
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            self._stop(domain)
            if change is not None:
                change(domain)
            domain.create()

    # -- the interface ----------------------------------------------------------------------------

    def spawn(self, instance, image, guest):
        self._create_disk(self._instance_path(instance, 'disk'), image, instance.get('root_gb'))
        self._write_config_drive(instance, guest)
        with translated_errors(instance['uuid']):
            domain = self._conn.defineXML(self.domain_xml(instance, image, guest))
            if domain.isActive():  # a spawn retried after it had got this far
                return
            try:
                domain.create()
            except libvirt.libvirtError:
                with contextlib.suppress(libvirt.libvirtError):
                    domain.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
                raise

    def destroy(self, instance):
        with translated_errors(instance['uuid']):
            try:
                domain = self._conn.lookupByUUIDString(instance['uuid'])
                with _ignoring(libvirt.VIR_ERR_OPERATION_INVALID):  # it stopped meanwhile
                    if domain.isActive():
                        domain.destroy()
                domain.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                                     | libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
            except libvirt.libvirtError as error:
                if error.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                    raise
        shutil.rmtree(self._instance_path(instance), ignore_errors=True)

    def get_power_state(self, instance):
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            state = domain.state()[0]
            return map_power_state(state, state == libvirt.VIR_DOMAIN_SHUTOFF and domain.hasManagedSaveImage(0))

    def list_instances(self):
        """The uuids of this service's domains (those carrying our metadata), not every domain."""
        uuids = []
        with translated_errors():
            domains = self._conn.listAllDomains(0)
        for domain in domains:
            try:
                domain.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, METADATA_NS, 0)
            except libvirt.libvirtError:
                continue  # not ours (VIR_ERR_NO_DOMAIN_METADATA), or gone meanwhile
            uuids.append(domain.UUIDString())
        return uuids

    def reboot(self, instance, reboot_type):
        domain = self._domain(instance)
        if reboot_type == 'SOFT':
            with translated_errors(instance['uuid']):
                if domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING:
                    try:
                        domain.reboot(0)
                        return
                    except libvirt.libvirtError as error:
                        LOG.info('Soft reboot of %s failed (%s); rebooting hard.', instance['uuid'], error)
        self._restart(instance)

    def power_off(self, instance):
        """A clean shutdown, then off by force if the guest has not stopped in SHUTDOWN_TIMEOUT."""
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            if not domain.isActive():
                return
            if domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING:
                with contextlib.suppress(libvirt.libvirtError):
                    domain.shutdown()
                    deadline = time.monotonic() + SHUTDOWN_TIMEOUT
                    while domain.isActive() and time.monotonic() < deadline:
                        time.sleep(SHUTDOWN_POLL)
            if domain.isActive():
                domain.destroy()

    def power_on(self, instance):
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            if not domain.isActive():
                domain.create()

    def pause(self, instance):
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            domain.suspend()

    def unpause(self, instance):
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            domain.resume()

    def suspend(self, instance):
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            domain.managedSave(0)

    def resume(self, instance):
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            if not domain.hasManagedSaveImage(0):
                raise driver.DriverError('Instance %s is not suspended.' % instance['uuid'])
            domain.create()

    def snapshot(self, instance, image_id):
        """The root disk copied to the image's local file (qemu-img convert, the guest paused
        meanwhile); its size. The test hypervisor has no disk: the flavor's disk size."""
        domain = self._domain(instance)
        disk = self._instance_path(instance, 'disk')
        if self._is_test or not (os.path.exists(disk) and shutil.which('qemu-img')):
            return int(instance.get('root_gb') or 0) * GiB or 1024 ** 2
        target = self._base_image_path(image_id)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with translated_errors(instance['uuid']):
            paused = domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING
            if paused:
                domain.suspend()
            try:
                self._qemu_img(['qemu-img', 'convert', '-U', '-O', 'qcow2', disk, target])
            finally:
                if paused:
                    domain.resume()
        return os.path.getsize(target)

    def rebuild(self, instance, image, guest):
        def new_definition(_domain):
            self._create_disk(self._instance_path(instance, 'disk'), image, instance.get('root_gb'))
            self._write_config_drive(instance, guest)
            self._conn.defineXML(self.domain_xml(instance, image, guest))
        self._restart(instance, new_definition)

    def resize(self, instance, flavor):
        """The definition's memory and vCPUs set to the flavor's (the root disk grown to it on a
        real hypervisor), then the domain restarted on it."""
        def new_definition(domain):
            tree = self._inactive_xml(domain)
            for tag in ('memory', 'currentMemory'):
                element = tree.find(tag)
                if element is not None:
                    element.text, element.attrib = str(flavor['memory_mb']), {'unit': 'MiB'}
            vcpu = tree.find('vcpu')
            vcpu.text = str(flavor['vcpus'])
            vcpu.attrib.pop('current', None)
            self._redefine(tree)
            disk = self._instance_path(instance, 'disk')
            new_root_gb = int(flavor.get('root_gb') or 0)
            if (not self._is_test and new_root_gb > int(instance.get('root_gb') or 0)
                    and os.path.exists(disk) and shutil.which('qemu-img')):
                self._qemu_img(['qemu-img', 'resize', disk, '%dG' % new_root_gb])
        self._restart(instance, new_definition)

    def rescue(self, instance, image, rescue_password):
        """Boot from a fresh disk of the rescue image, the server's own disk attached second."""
        def rescue_definition(domain):
            tree = self._inactive_xml(domain)
            devices = tree.find('devices')
            root = self._root_disk(tree)
            root.find('target').set('dev', RESCUE_DEVICE)
            rescue_path = self._instance_path(instance, 'disk.rescue')
            self._create_disk(rescue_path, image, instance.get('root_gb'))
            rescue_disk = self._disk_xml(devices, rescue_path, ROOT_DEVICE)
            devices.remove(rescue_disk)
            devices.insert(list(devices).index(root), rescue_disk)
            self._redefine(tree)
        self._ensure_rescued(instance, False)
        self._restart(instance, rescue_definition)

    def unrescue(self, instance):
        def own_definition(domain):
            tree = self._inactive_xml(domain)
            devices = tree.find('devices')
            devices.remove(self._rescue_disk(tree))
            self._root_disk(tree).find('target').set('dev', ROOT_DEVICE)
            self._redefine(tree)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._instance_path(instance, 'disk.rescue'))
        self._ensure_rescued(instance, True)
        self._restart(instance, own_definition)

    def _root_disk(self, tree):
        return self._disk_by_path(tree, self._instance_path({'uuid': tree.findtext('uuid')}, 'disk'))

    def _rescue_disk(self, tree):
        return self._disk_by_path(tree, self._instance_path({'uuid': tree.findtext('uuid')}, 'disk.rescue'))

    @staticmethod
    def _disk_by_path(tree, path):
        for disk in tree.findall('devices/disk'):
            if disk.find('source') is not None and disk.find('source').get('file') == path:
                return disk
        return None

    def _ensure_rescued(self, instance, rescued):
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            tree = self._inactive_xml(domain)
        if (self._rescue_disk(tree) is not None) != rescued:
            raise driver.DriverError('Instance %s is %s in rescue.' % (
                instance['uuid'], 'not' if rescued else 'already'))

    def set_admin_password(self, instance, new_password):
        """root's password, through the guest agent (libvirt's setUserPassword)."""
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            if domain.state()[0] != libvirt.VIR_DOMAIN_RUNNING:
                raise driver.DriverError('Instance %s is not running.' % instance['uuid'])
            domain.setUserPassword('root', new_password, 0)

    def get_console_output(self, instance):
        self._domain(instance)
        try:
            with open(self._instance_path(instance, 'console.log'), 'rb') as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(log.tell() - MAX_CONSOLE_BYTES, 0))
                return log.read().decode('utf-8', errors='replace')
        except FileNotFoundError:
            return ''

    def get_console(self, instance, protocol):
        """VNC and SPICE from the running domain's graphics element (the port libvirt gave it, at
        [vnc]/[spice] server_proxyclient_address, as nova); serial from a TCP chardev the domain
        listens on. No mks."""
        if protocol not in ('vnc', 'spice', 'serial'):
            raise NotImplementedError()
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            devices = ET.fromstring(domain.XMLDesc(0)).find('devices')
        if protocol == 'serial':
            for source in devices.findall("serial[@type='tcp']/source[@mode='bind']"):
                if source.get('service'):
                    # No host: it listens on every address of this host, loopback among them.
                    return driver.Console(host=source.get('host') or '127.0.0.1', port=int(source.get('service')))
        else:
            graphics = devices.find("graphics[@type='%s']" % protocol)
            # -1 (or nothing): libvirt has not given it a port, so nothing listens.
            port = int(graphics.get('port') or -1) if graphics is not None else -1
            if port > 0:
                group = self.conf.vnc if protocol == 'vnc' else self.conf.spice
                return driver.Console(host=group.server_proxyclient_address, port=port)
        raise exception.ConsoleTypeUnavailable(console_type=protocol)

    def get_diagnostics(self, instance):
        """nova's libvirt figures: each vCPU's time, each disk's and interface's counters, the
        maximum memory and the balloon's statistics. A figure this hypervisor cannot give is left
        out, as nova does."""
        domain = self._domain(instance)
        with translated_errors(instance['uuid']):
            devices = ET.fromstring(domain.XMLDesc(0)).find('devices')
            figures = {'memory': domain.maxMemory()}
        with _ignoring_any():
            for number, (_vcpu, _state, cpu_time, _cpu) in enumerate(domain.vcpus()[0]):
                figures['cpu%d_time' % number] = cpu_time
        for disk in devices.findall('disk/target'):
            name = disk.get('dev')
            with _ignoring_any():
                figures.update(zip(('%s_read_req' % name, '%s_read' % name, '%s_write_req' % name,
                                    '%s_write' % name, '%s_errors' % name), domain.blockStats(name)))
        for interface in devices.findall('interface/target'):
            name = interface.get('dev')
            with _ignoring_any():
                figures.update(zip(['%s_%s' % (name, figure) for figure in (
                    'rx', 'rx_packets', 'rx_errors', 'rx_drop', 'tx', 'tx_packets', 'tx_errors', 'tx_drop')],
                    domain.interfaceStats(name)))
        with _ignoring_any():
            figures.update(('memory-%s' % key, value) for key, value in domain.memoryStats().items())
        return figures
