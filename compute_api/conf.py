"""Configuration options (oslo.config), with nova's names where nova has one.

Options are registered on a ConfigOpts built by make_conf(); the resulting object is passed
explicitly to whatever needs it. Nothing below the entry points reads a global.
"""
import os

from oslo_config import cfg

default_opts = [
    cfg.StrOpt('state_path', default=os.path.join(os.path.expanduser('~'), '.local', 'share', 'compute-api'),
               sample_default='~/.local/share/compute-api',
               help='Directory holding the embedded SQLite database and other local state.'),
    cfg.HostAddressOpt('osapi_compute_listen', default='127.0.0.1',
                       help='Address the development server listens on.'),
    cfg.PortOpt('osapi_compute_listen_port', default=8774,
                help='Port the development server listens on.'),
    cfg.StrOpt('compute_driver', default='fake',
               help='Hypervisor driver, by its entry point name in compute_api.drivers (fake, libvirt).'),
    cfg.StrOpt('api_paste_config', default='api-paste.ini',
               help='The Paste deploy file; a relative path is looked up beside the config files, then '
                    'in the package (compute_api/etc/).'),
    cfg.StrOpt('my_ip',
               help="This host's IP address, shown as os-hypervisors' host_ip; default: the address this "
                    "machine's name resolves to (looked up once per process)."),
    cfg.StrOpt('host', default='compute-api',
               help='Name of this compute host, shown to admins as OS-EXT-SRV-ATTR:host.'),
    cfg.StrOpt('default_availability_zone', default='nova',
               help='Availability zone of servers created without one.'),
    cfg.IntOpt('password_length', default=12, min=1, help='Length of generated admin passwords.'),
    cfg.BoolOpt('enable_instance_password', default=True,
                help='Return the admin password in create/rebuild responses.'),
    cfg.BoolOpt('allow_instance_snapshots', default=True, help='Allow the createImage action.'),
    cfg.IntOpt('task_workers', default=64, min=1,
               help='Concurrent driver operations run off the request path.'),
    cfg.BoolOpt('force_config_drive', default=False,
                help='Give every new server a config drive, whether its create asked for one or not '
                     '(the libvirt driver attaches it as a cdrom; there is no metadata service).'),
]

api_opts = [
    cfg.StrOpt('auth_strategy', default='noauth', choices=['noauth', 'keystone'],
               help='noauth (development only: X-Auth-Token "user:project") or keystone '
                    '(keystonemiddleware auth_token, configured in [keystone_authtoken]).'),
    cfg.BoolOpt('noauth_allow_remote', default=False,
                help='Serve noauth beyond loopback: on a non-loopback listen address of the development '
                     'server, and at all under a WSGI server (compute_api.wsgi, which cannot know its '
                     'address). Never do this in production.'),
    cfg.ListOpt('noauth_roles', default=['member', 'reader'],
                help='Roles given to non-admin noauth users (user "admin" also gets "admin").'),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help='Largest page a collection returns, whatever limit asks.'),
    cfg.StrOpt('compute_link_prefix',
               help='Base URL used in links instead of the request host URL '
                    '(nova: osapi_compute_link_prefix).'),
    cfg.StrOpt('glance_link_prefix',
               help='Base URL of the image alternate links (nova: osapi_glance_link_prefix).'),
    cfg.BoolOpt('rate_limit', default=False,
                help="Enable nova's legacy per-process rate limiting (429 overLimit)."),
    cfg.StrOpt('rate_limits',
               default='(POST, "*", .*, 120, MINUTE);(POST, "*/servers", ^/servers, 120, MINUTE);'
                       '(PUT, "*", .*, 120, MINUTE);(GET, "*changes-since*", .*changes-since.*, 120, MINUTE);'
                       '(DELETE, "*", .*, 120, MINUTE);(GET, "*/os-fping", ^/os-fping, 12, MINUTE)',
               help="Rate limits in nova's legacy format: (VERB, URI, REGEX, VALUE, UNIT);..."),
    cfg.ListOpt('hide_server_address_states', default=['building'],
                help='vm_states whose addresses non-admins do not see.'),
    cfg.StrOpt('dhcp_domain', default='novalocal',
               help='Domain appended to a server\'s hostname in the metadata its guest is given '
                    '(empty: none).'),
]

database_opts = [
    cfg.StrOpt('connection', secret=True,
               help='SQLAlchemy URL; default: SQLite file compute.sqlite under state_path.'),
    cfg.IntOpt('max_pool_size', default=10, help='Connection pool size for server databases.'),
    cfg.BoolOpt('auto_sync', default=True,
                help='Apply the migrations at start-up (the embedded default needs no manual step).'),
]

quota_opts = [
    cfg.IntOpt('instances', default=10, help='Servers per project (-1 unlimited).'),
    cfg.IntOpt('cores', default=20, help='vCPUs per project.'),
    cfg.IntOpt('ram', default=51200, help='MB of RAM per project.'),
    cfg.IntOpt('floating_ips', default=10),
    cfg.IntOpt('fixed_ips', default=-1),
    cfg.IntOpt('metadata_items', default=128, help='Metadata items per server or image.'),
    cfg.IntOpt('injected_files', default=5),
    cfg.IntOpt('injected_file_content_bytes', default=10240),
    cfg.IntOpt('injected_file_path_length', default=255),
    cfg.IntOpt('security_groups', default=10),
    cfg.IntOpt('security_group_rules', default=20),
    cfg.IntOpt('key_pairs', default=100),
    cfg.IntOpt('server_groups', default=10),
    cfg.IntOpt('server_group_members', default=10),
]

network_opts = [
    cfg.ListOpt('networks', default=['private:10.0.0.0/24:fd00::/64'],
                help='Networks of the built-in address allocator, as label:ipv4_cidr[:ipv6_cidr]. '
                     'The first is used when a server asks for none in particular.'),
]

fake_opts = [
    cfg.FloatOpt('spawn_delay', default=0.0, min=0.0,
                 help='Seconds every fake spawn takes (per server: metadata fake:spawn_delay).'),
    cfg.FloatOpt('max_spawn_delay', default=5.0, min=0.0,
                 help='Largest fake:spawn_delay a server create may ask for; more is a 400 (a delay holds '
                      'one of the task_workers threads that every build shares).'),
    cfg.FloatOpt('operation_delay', default=0.0, min=0.0,
                 help='Seconds every other fake operation takes.'),
    # nova's fake driver answers fakevncconsole.com:6969; an address that resolves lets a test
    # put a listener behind the console proxy.
    cfg.HostAddressOpt('vnc_host', default='127.0.0.1', help="Host of every fake server's VNC console."),
    cfg.PortOpt('vnc_port', default=6969, help="Port of every fake server's VNC console."),
    cfg.HostAddressOpt('spice_host', default='127.0.0.1', help="Host of every fake server's SPICE console."),
    cfg.PortOpt('spice_port', default=6970, help="Port of every fake server's SPICE console."),
    cfg.HostAddressOpt('serial_host', default='127.0.0.1', help="Host of every fake server's serial console."),
    cfg.PortOpt('serial_port', default=6971, help="Port of every fake server's serial console."),
]

# Remote consoles, with nova's groups, names and defaults (except novncproxy_host: loopback).
vnc_opts = [
    cfg.BoolOpt('enabled', default=True, help='Serve VNC consoles (os-getVNCConsole, protocol vnc).'),
    cfg.URIOpt('novncproxy_base_url', default='http://127.0.0.1:6080/vnc_auto.html',
               help="Base URL of noVNC consoles handed to clients; the token goes in its 'path' query."),
    cfg.HostAddressOpt('server_listen', default='127.0.0.1',
                       help="Address a libvirt guest's VNC server listens on."),
    cfg.HostAddressOpt('server_proxyclient_address', default='127.0.0.1',
                       help="Address the console proxy connects to for a libvirt guest's VNC server."),
    cfg.HostAddressOpt('novncproxy_host', default='127.0.0.1',
                       help='Address compute-api-novncproxy listens on (nova: 0.0.0.0).'),
    cfg.PortOpt('novncproxy_port', default=6080, help='Port compute-api-novncproxy listens on.'),
    cfg.StrOpt('web', default='/usr/share/novnc',
               help="Directory of noVNC's files that compute-api-novncproxy serves over HTTP "
                    '(nova: [DEFAULT] web).'),
]

spice_opts = [
    cfg.BoolOpt('enabled', default=False, help='Serve SPICE consoles (os-getSPICEConsole, protocol spice).'),
    cfg.URIOpt('html5proxy_base_url', default='http://127.0.0.1:6082/spice_auto.html',
               help='Base URL of SPICE HTML5 consoles handed to clients.'),
    cfg.HostAddressOpt('server_listen', default='127.0.0.1',
                       help="Address a libvirt guest's SPICE server listens on."),
    cfg.HostAddressOpt('server_proxyclient_address', default='127.0.0.1',
                       help="Address the console proxy connects to for a libvirt guest's SPICE server."),
]

serial_console_opts = [
    cfg.BoolOpt('enabled', default=False, help='Serve serial consoles (os-getSerialConsole, protocol serial).'),
    cfg.URIOpt('base_url', default='ws://127.0.0.1:6083/', help='Base URL of serial consoles handed to clients.'),
]

console_opts = [
    cfg.ListOpt('allowed_origins', default=[],
                help="Hosts besides the proxy's own that a browser's Origin header may name when it "
                     'opens a console.'),
]

consoleauth_opts = [
    cfg.IntOpt('token_ttl', default=600, min=0, help='Seconds a console token stays valid.'),
]

libvirt_opts = [
    cfg.StrOpt('connection_uri', default='qemu:///system',
               help='libvirt URI; test:///default runs the real libvirt library without a hypervisor.'),
    cfg.StrOpt('virt_type', default='kvm', help='Domain type in the generated XML (kvm, qemu, test).'),
    cfg.StrOpt('images_path', help='Directory of local disk images; default state_path/instances.'),
    cfg.StrOpt('network_name', default='default',
               help='The libvirt network every guest interface is plugged into (libvirt\'s own "default" '
                    'network unless set), when [libvirt] bridge is not set.'),
    cfg.StrOpt('bridge',
               help='A host bridge every guest interface is plugged into instead of a libvirt network '
                    '(e.g. br100, nova-network\'s flat_network_bridge).'),
]

OPTS = [
    (None, default_opts),
    ('api', api_opts),
    ('database', database_opts),
    ('quota', quota_opts),
    ('network', network_opts),
    ('fake', fake_opts),
    ('libvirt', libvirt_opts),
    ('vnc', vnc_opts),
    ('spice', spice_opts),
    ('serial_console', serial_console_opts),
    ('console', console_opts),
    ('consoleauth', consoleauth_opts),
]


def list_opts():
    """For oslo-config-generator (entry point oslo.config.opts = compute_api): ours, and
    keystonemiddleware's [keystone_authtoken] options with AUTHTOKEN_DEFAULTS (copies of its
    options, which auth_token.list_opts() makes)."""
    from keystonemiddleware import auth_token
    authtoken = auth_token.list_opts()
    for _group, opts in authtoken:
        cfg.set_defaults(opts, **AUTHTOKEN_DEFAULTS)
    return [(group, list(opts)) for group, opts in OPTS] + authtoken


# Our defaults for keystonemiddleware's [keystone_authtoken] options. Its own default leaves calls
# to Keystone without any timeout, so a Keystone that accepts connections but never answers would
# hold every request forever. With http_connect_timeout such a request is a 503 after about twice
# that (version discovery, then the validation); a refused connection (Keystone stopped) is a 503
# at once. tests/functional/test_auth_keystone.py measures both.
AUTHTOKEN_DEFAULTS = {'http_connect_timeout': 10}


def set_authtoken_defaults(conf):
    """Register [keystone_authtoken] on `conf` with AUTHTOKEN_DEFAULTS (values in files still win)."""
    from keystonemiddleware import auth_token
    for group, opts in auth_token.list_opts():
        conf.register_opts(opts, group=group)
    for name, value in AUTHTOKEN_DEFAULTS.items():
        conf.set_default(name, value, group='keystone_authtoken')


def make_conf(args=None, default_config_files=None, cli_opts=()):
    """A fresh, parsed ConfigOpts; `args` are command-line arguments (without the program)."""
    conf = cfg.ConfigOpts()
    for group, opts in OPTS:
        conf.register_opts(opts, group=group)
    conf.register_cli_opts(list(cli_opts))
    conf(args if args is not None else [], project='compute-api',
         default_config_files=default_config_files if default_config_files is not None else [])
    return conf


def database_url(conf):
    if conf.database.connection:
        return conf.database.connection
    return 'sqlite:///' + os.path.join(conf.state_path, 'compute.sqlite')
