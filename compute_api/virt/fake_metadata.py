"""The metadata a fake server may carry to ask its spawn for a delay, read by the fake driver at
the spawn and checked by the API at the create (which loads no driver when its compute hosts are
other processes): `[fake] max_spawn_delay` is the bound in both places."""
import math

SPAWN_DELAY_KEY = 'fake:spawn_delay'


def requested_spawn_delay(conf, metadata):
    """The seconds `metadata` asks a spawn to take (None: it does not ask); ValueError with the
    reason when that is not a number from 0 to [fake] max_spawn_delay."""
    requested = (metadata or {}).get(SPAWN_DELAY_KEY)
    if requested is None:
        return None
    limit = conf.fake.max_spawn_delay
    try:
        delay = float(requested)
    except ValueError:
        delay = math.nan
    if not 0.0 <= delay <= limit:
        raise ValueError('%s must be a number of seconds from 0 to %g.' % (SPAWN_DELAY_KEY, limit))
    return delay
