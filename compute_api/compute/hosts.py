"""The one compute host this deployment is: its nova-compute service, its availability zone and
its hypervisor node, described the way nova's os-services, os-availability-zone and
os-hypervisors describe theirs.

The API process runs the driver itself, so the service is up whenever the API answers and its
heartbeat (updated_at) is the time of the request. No zone other than [DEFAULT]
default_availability_zone exists here.
"""
from compute_api.db import store as store_mod

SERVICE_ID = 1
COMPUTE_BINARY = 'nova-compute'


def compute_service(conf):
    """The nova-compute service record of this host."""
    return {
        'id': SERVICE_ID,
        'binary': COMPUTE_BINARY,
        'host': conf.host,
        'zone': conf.default_availability_zone,
        'disabled': False,
        'disabled_reason': None,
        'forced_down': False,
        'up': True,
        'updated_at': store_mod.utcnow(),
    }


def list_services(conf, host=None, binary=None):
    """The services, filtered as os-services filters (exact host and binary)."""
    return [service for service in [compute_service(conf)]
            if (host is None or service['host'] == host) and (binary is None or service['binary'] == binary)]


def availability_zones(conf):
    """[(zone name, available, [services in it])]: the default zone, holding this host."""
    return [(conf.default_availability_zone, True, [compute_service(conf)])]
