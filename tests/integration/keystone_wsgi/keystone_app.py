"""Gunicorn entry point for Keystone (served from the keystone venv, never imported by tests).

keystone.server.wsgi configures oslo.config without args=, so it parses the *process* argv,
which under gunicorn is gunicorn's own ("--bind ..."): every worker dies with "unrecognized
arguments" (exit 2) and requests hang. Emptying argv first avoids that. The config is found
through $OS_KEYSTONE_CONFIG_DIR/keystone.conf.

This lives in its own directory because gunicorn gets it with --pythonpath: our helper module
tests/integration/keystone.py would otherwise shadow the real keystone package.
"""
import sys

sys.argv = sys.argv[:1]

from keystone.server.wsgi import initialize_public_application  # noqa: E402

application = initialize_public_application()
