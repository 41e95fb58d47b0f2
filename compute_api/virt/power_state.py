"""Power states as nova reports them in OS-EXT-STS:power_state."""
NOSTATE = 0
RUNNING = 1
PAUSED = 3
SHUTDOWN = 4
CRASHED = 6
SUSPENDED = 7

NAMES = {NOSTATE: 'pending', RUNNING: 'running', PAUSED: 'paused', SHUTDOWN: 'shutdown',
         CRASHED: 'crashed', SUSPENDED: 'suspended'}
