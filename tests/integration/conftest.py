"""Session fixtures for the integration tests: a real Keystone, the real server process, venvs.

Every test here is marked `integration`. When a piece cannot be set up (no venv could be built,
Keystone or the server does not start) the tests needing it are skipped and the reason is
printed in the summary, except under CI=true, where a setup problem is a failure.
"""
import os

import pytest

from tests.integration import keystone as keystone_mod
from tests.integration import server as server_mod
from tests.integration import support

_SETUP_PROBLEMS = []


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "integration: runs real processes (server, Keystone, clients); slow")


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.integration)


def pytest_terminal_summary(terminalreporter):
    if _SETUP_PROBLEMS:
        terminalreporter.section("integration setup problems")
        for line in dict.fromkeys(_SETUP_PROBLEMS):
            terminalreporter.write_line(line)


def unavailable(what, exc):
    """Skip (or, under CI=true, fail) because `what` could not be set up."""
    reason = f"{what} unavailable: {type(exc).__name__}: {exc}"
    _SETUP_PROBLEMS.append(reason.splitlines()[0][:300])
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason.splitlines()[0][:300])


def _venv(name):
    try:
        return support.venvs.ensure_venv(name)
    except (Exception, SystemExit) as exc:  # the builder exits loudly on a failed pip
        unavailable(f"venv {name}", exc)


@pytest.fixture(scope="session")
def keystone_venv():
    return _venv("keystone")


@pytest.fixture(scope="session")
def clients_venv():
    return _venv("clients")


@pytest.fixture(scope="session")
def keystone(keystone_venv, tmp_path_factory):
    """A provisioned Keystone (accounts in keystone.ACCOUNTS); stopped at the end of the session.

    Tests may stop it and start it again (same port, same data); they must leave it running.
    """
    instance = keystone_mod.Keystone(tmp_path_factory.mktemp("keystone"),
                                     log_dir=support.logs_dir(), venv=keystone_venv)
    try:
        instance.up()
    except Exception as exc:
        instance.stop()
        unavailable("keystone", exc)
    yield instance
    instance.stop()


def _start_server(server):
    try:
        server.manage("db", "sync")
        server.start()
    except Exception as exc:
        server.stop()
        unavailable(f"compute-api server ({server.name})", exc)
    return server


@pytest.fixture(scope="session")
def noauth_server(tmp_path_factory):
    """The real server, [api] auth_strategy = noauth, on its own SQLite state dir."""
    server = _start_server(server_mod.ComputeServer(
        tmp_path_factory.mktemp("compute-noauth"), name="compute-api-noauth"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def keystone_server(keystone, tmp_path_factory):
    """The real server behind the session's Keystone, registered in its catalog."""
    server = server_mod.ComputeServer(tmp_path_factory.mktemp("compute-keystone"),
                                      auth_strategy="keystone", keystone=keystone,
                                      name="compute-api-keystone")
    try:
        keystone.register_compute(f"{server.base_url}/v2.1")
        # `openstack server create --image NAME` looks NAME up in the image service. There is
        # no Glance: the compute API's own /images (nova's image proxy) answers, as it does for
        # the noauth cloud, whose single endpoint serves every service.
        keystone.register_service("image", "compute-images", f"{server.base_url}/v2.1")
    except Exception as exc:
        unavailable("keystone catalog", exc)
    yield _start_server(server)
    server.stop()
