"""How the eventlet development server sets eventlet up, before anything else imports it.
benchmarks/serve.py calls the same for the floor app, so both run the same server software."""
import os
import warnings


def monkey_patch():
    # eventlet announces its maintenance mode on import; the dev server knows (README, risks).
    warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
    # No green DNS resolver: it is dnspython, up to 18 MB a process, and the dev server resolves
    # next to nothing (its listen address at start; Keystone's host name with auth_strategy =
    # keystone). The price: such a lookup blocks every green thread while it lasts.
    # EVENTLET_NO_GREENDNS=no in the environment brings the green resolver back.
    os.environ.setdefault('EVENTLET_NO_GREENDNS', 'yes')
    import eventlet
    eventlet.monkey_patch()
