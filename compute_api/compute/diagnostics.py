"""Server diagnostics (nova's os-server-diagnostics before microversion 2.48): the driver's own
figures for a running server, asked of the server's host. A read that changes nothing, so the
request waits for it, as for the console output."""
from compute_api.compute import servers


def get_diagnostics(services, instance):
    """The driver's figures; InstanceNotReady for a server without a host yet, InstanceInvalidState
    when its guest is not running."""
    target = servers.hosted_driver_instance(services.store, instance)
    return services.compute.call(instance['host'], 'get_diagnostics', instance=target)
