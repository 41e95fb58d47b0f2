"""Server diagnostics (nova's os-server-diagnostics before microversion 2.48): the driver's own
figures for a running server. A read that changes nothing, so it runs in the request, as the
console output does."""
from compute_api import exception
from compute_api.compute import servers
from compute_api.virt import driver as driver_mod
from compute_api.virt import power_state


def get_diagnostics(services, instance):
    """The driver's figures; InstanceNotReady for a server without a host yet, InstanceInvalidState
    when its guest is not running (nova's compute manager asks the driver for the power state
    first, as here)."""
    target = servers.hosted_driver_instance(services.store, instance)
    try:
        current = services.driver.get_power_state(target)
        if current == power_state.RUNNING:
            return services.driver.get_diagnostics(target)
    except driver_mod.DriverInstanceNotFound:
        current = power_state.NOSTATE  # nova's _get_power_state for a guest the driver lacks
    raise exception.InstanceInvalidState(action='get_diagnostics', instance_id=instance['uuid'],
                                         attr='power state', state=power_state.NAMES[current])
