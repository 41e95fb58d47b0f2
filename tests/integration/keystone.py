"""A real Keystone on 127.0.0.1 for the integration tests (importable helper and CLI).

SQLite + fernet tokens, served by gunicorn with ONE worker from the `keystone` venv
(tools/integration_venvs.py). Everything lives in one state directory, so Keystone can be
stopped mid-run and started again on the same port with the same users, projects and keys.

CLI (from the repository root):
    python -m tests.integration.keystone up    --state-dir D [--port P] [--compute-url URL]
    python -m tests.integration.keystone stop  --state-dir D
    python -m tests.integration.keystone start --state-dir D
    python -m tests.integration.keystone token --state-dir D [ACCOUNT]
"""
import argparse
import getpass
import grp
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from tests.integration import rest, support

REGION = "RegionOne"
DOMAIN = "Default"
# Test-only credentials of a throw-away Keystone bound to 127.0.0.1.
ADMIN_PASSWORD = "itest-admin-pw"


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    project: str
    role: str | None  # None: the user exists but has no role in `project`


# The service user keystonemiddleware authenticates as to validate tokens; keystone's
# identity:validate_token policy lets admins (or the token's own subject) validate.
SERVICE = Account("compute", "itest-service-pw", "service", "admin")

ACCOUNTS = {
    # Created by `keystone-manage bootstrap`: cloud admin, admin role in project "admin".
    "admin": Account("admin", ADMIN_PASSWORD, "admin", "admin"),
    "project_admin": Account("itest-admin", "itest-admin-user-pw", "itest", "admin"),
    "member": Account("itest-member", "itest-member-pw", "itest", "member"),
    "reader": Account("itest-reader", "itest-reader-pw", "itest", "reader"),
    # Exists and can authenticate (unscoped), but Keystone refuses it a token for "itest".
    "norole": Account("itest-norole", "itest-norole-pw", "itest", None),
    "other_member": Account("itest2-member", "itest2-member-pw", "itest2", "member"),
    # A project token whose only role is one nova's defaults know nothing of ("no role").
    "observer": Account("itest-observer", "itest-observer-pw", "itest", "observer"),
}

KEYSTONE_CONF = """\
[DEFAULT]
log_dir = {log_dir}
log_file = keystone.log
use_stderr = false

[database]
connection = sqlite:///{state}/keystone.db

[token]
provider = fernet
# Long enough that no token expires during a run, even a slow tempest one.
expiration = 86400

[fernet_tokens]
key_repository = {state}/fernet-keys

[credential]
key_repository = {state}/credential-keys

[identity]
# bcrypt's default cost makes every user creation and login ~0.25 s; tempest creates and
# authenticates users for every test class. 4 is the minimum Keystone accepts.
password_hash_rounds = 4

[cache]
# In-process cache (one worker, so it stays consistent): measured here, 15 rounds of tempest's
# per-class credential work (project, user, role, token, validate, deletes) took 54 s of CPU
# uncached and 7 s cached.
enabled = true
backend = oslo_cache.dict

[oslo_policy]
# The compute policies are what is under test; keep Keystone's own defaults permissive.
enforce_scope = false
enforce_new_defaults = false
"""


class KeystoneError(RuntimeError):
    pass


class Keystone:
    """One Keystone instance and its state directory."""

    def __init__(self, state_dir, port=None, log_dir=None, venv=None):
        self.state_dir = pathlib.Path(state_dir).resolve()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        saved = self._load_saved()
        self.port = port or saved.get("port") or rest.free_port()
        self.log_dir = pathlib.Path(log_dir or saved.get("log_dir") or self.state_dir / "log")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.venv = pathlib.Path(venv) if venv else None
        self.process = None  # the gunicorn master this object started, if any
        self._save()

    # -- paths and state ------------------------------------------------------------------
    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth_url(self):
        return f"{self.url}/v3"

    @property
    def config_file(self):
        return self.state_dir / "keystone.conf"

    @property
    def pid_file(self):
        return self.state_dir / "gunicorn.pid"

    @property
    def gunicorn_log(self):
        return self.log_dir / "keystone-gunicorn.log"

    def _load_saved(self):
        try:
            return json.loads((self.state_dir / "instance.json").read_text())
        except (OSError, ValueError):
            return {}

    def _save(self):
        (self.state_dir / "instance.json").write_text(
            json.dumps({"port": self.port, "log_dir": str(self.log_dir)}))

    def _venv(self):
        if self.venv is None:
            self.venv = support.venvs.ensure_venv("keystone")
        return self.venv

    # -- one-time setup ---------------------------------------------------------------------
    @property
    def is_configured(self):
        return (self.state_dir / "bootstrapped").exists()

    def configure(self):
        """keystone.conf, database, fernet and credential keys, bootstrap (admin, roles)."""
        for sub in ("fernet-keys", "credential-keys"):
            (self.state_dir / sub).mkdir(exist_ok=True)
        self.config_file.write_text(KEYSTONE_CONF.format(state=self.state_dir,
                                                         log_dir=self.log_dir))
        owner = ["--keystone-user", getpass.getuser(),
                 "--keystone-group", grp.getgrgid(os.getgid()).gr_name]
        self._manage("db_sync")
        self._manage("fernet_setup", *owner)
        self._manage("credential_setup", *owner)
        # bootstrap also creates the member and reader roles (admin implies member implies
        # reader), domain "default", and the identity service with its endpoints.
        self._manage("bootstrap",
                     "--bootstrap-password", ADMIN_PASSWORD,
                     "--bootstrap-username", "admin",
                     "--bootstrap-project-name", "admin",
                     "--bootstrap-role-name", "admin",
                     "--bootstrap-service-name", "keystone",
                     "--bootstrap-region-id", REGION,
                     "--bootstrap-admin-url", self.auth_url,
                     "--bootstrap-public-url", self.auth_url,
                     "--bootstrap-internal-url", self.auth_url)
        (self.state_dir / "bootstrapped").write_text("")

    def _manage(self, *args):
        cmd = [str(self._venv() / "bin" / "keystone-manage"), "--config-file",
               str(self.config_file), *args]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        if done.returncode:
            raise KeystoneError(f"keystone-manage {args[0]} failed ({done.returncode}):\n"
                                f"{done.stdout[-2000:]}{done.stderr[-2000:]}")

    # -- process ----------------------------------------------------------------------------
    def _pid(self):
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    @property
    def running(self):
        return self._pid() is not None

    def start(self, timeout=60):
        """Serve Keystone (one gunicorn worker) and wait for GET /v3; returns seconds taken."""
        if self.running:
            return 0.0
        if not self.is_configured:
            raise KeystoneError(f"{self.state_dir} is not set up; call configure() first")
        env = dict(os.environ, OS_KEYSTONE_CONFIG_DIR=str(self.state_dir))
        cmd = [str(self._venv() / "bin" / "gunicorn"),
               "--bind", f"127.0.0.1:{self.port}",
               # One worker: with SQLite, several worker processes give "database is locked"
               # 500s under tempest's parallel user creation.
               "--workers", "1",
               "--timeout", "120",
               "--pid", str(self.pid_file),
               "--pythonpath", str(pathlib.Path(__file__).parent / "keystone_wsgi"),
               "--access-logfile", str(self.log_dir / "keystone-access.log"),
               "--error-logfile", str(self.gunicorn_log),
               "keystone_app:application"]
        with open(self.gunicorn_log, "ab") as out:
            # A new session: the CLI may exit and leave Keystone serving; stop() uses the pid file.
            proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        self.process = proc
        try:
            return rest.wait_until_up(self.auth_url, timeout,
                                      is_alive=lambda: proc.poll() is None)
        except (TimeoutError, RuntimeError) as exc:
            self._terminate(proc.pid)
            raise KeystoneError(f"keystone did not start: {exc}\n{support.tail(self.gunicorn_log)}")

    def stop(self, timeout=15):
        """Stop the gunicorn master (it stops its worker) and wait until the port is free."""
        pid = self._pid()
        if pid is None and self.process is not None and self.process.poll() is None:
            pid = self.process.pid  # the pid file is gone (e.g. its directory was removed)
        if pid is not None:
            self._terminate(pid, timeout)
        self.process = None
        self.pid_file.unlink(missing_ok=True)
        rest.wait_until_down("127.0.0.1", self.port, timeout)

    @staticmethod
    def _terminate(pid, timeout=15):
        try:
            # SIGINT is gunicorn's quick shutdown (SIGTERM waits ~3 s for idle workers).
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                # Reap it when it is our child; otherwise just probe.
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return
            except ChildProcessError:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return
            time.sleep(0.1)
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    # -- API --------------------------------------------------------------------------------
    def token(self, account="admin", project=True):
        """A token for ACCOUNTS[account] (or an Account); unscoped when project is False.

        Returns (token_id, token_body); raises KeystoneError if Keystone refuses.
        """
        acct = ACCOUNTS[account] if isinstance(account, str) else account
        auth = {"identity": {"methods": ["password"], "password": {"user": {
            "name": acct.username, "domain": {"name": DOMAIN}, "password": acct.password}}}}
        if project:
            auth["scope"] = {"project": {"name": acct.project, "domain": {"name": DOMAIN}}}
        resp = rest.request("POST", f"{self.auth_url}/auth/tokens", {"auth": auth})
        if resp.status != 201:
            raise KeystoneError(f"token for {acct.username} refused: HTTP {resp.status} "
                                f"{resp.body[:300]!r}")
        return resp.header("X-Subject-Token"), resp.json()["token"]

    def _admin(self):
        token, _ = self.token("admin")
        headers = {"X-Auth-Token": token}

        def call(method, path, body=None, ok=(200, 201, 204)):
            resp = rest.request(method, f"{self.auth_url}{path}", body, headers)
            if resp.status not in ok:
                raise KeystoneError(f"{method} {path}: HTTP {resp.status} {resp.body[:300]!r}")
            return resp.json()
        return call

    def provision(self):
        """Create the projects, users and role assignments of ACCOUNTS and SERVICE (idempotent)."""
        call = self._admin()
        roles = {r["name"]: r["id"] for r in call("GET", "/roles")["roles"]}
        projects = {p["name"]: p["id"] for p in call("GET", "/projects")["projects"]}
        users = {u["name"]: u["id"] for u in call("GET", "/users")["users"]}
        for acct in [SERVICE, *ACCOUNTS.values()]:
            if acct.role and acct.role not in roles:
                roles[acct.role] = call("POST", "/roles", {"role": {"name": acct.role}})["role"]["id"]
            if acct.project not in projects:
                projects[acct.project] = call("POST", "/projects", {"project": {
                    "name": acct.project, "domain_id": "default"}})["project"]["id"]
            if acct.username not in users:
                users[acct.username] = call("POST", "/users", {"user": {
                    "name": acct.username, "password": acct.password, "domain_id": "default",
                    "default_project_id": projects[acct.project]}})["user"]["id"]
            if acct.role:
                call("PUT", f"/projects/{projects[acct.project]}/users/"
                            f"{users[acct.username]}/roles/{roles[acct.role]}")
        return {"projects": projects, "users": users}

    def register_compute(self, url):
        """Point the catalog's compute service (public/internal/admin) at `url` (idempotent).

        We register the project-less form, http://HOST:PORT/v2.1: it is what devstack has
        registered since Pike, the clients then take the project from the token, and the
        `/v2.1/%(project_id)s` form stays covered by the tests that address it directly.
        """
        self.register_service("compute", "nova", url)

    def register_service(self, service_type, name, url):
        """Create service `service_type` if missing and point its three endpoints at `url`."""
        call = self._admin()
        services = call("GET", f"/services?type={service_type}")["services"]
        if services:
            service_id = services[0]["id"]
        else:
            service_id = call("POST", "/services", {"service": {
                "type": service_type, "name": name,
                "description": f"{name} for compute_api integration tests"}})["service"]["id"]
        existing = {e["interface"]: e for e in
                    call("GET", f"/endpoints?service_id={service_id}")["endpoints"]}
        for interface in ("public", "internal", "admin"):
            if interface in existing:
                if existing[interface]["url"] != url:
                    call("PATCH", f"/endpoints/{existing[interface]['id']}",
                         {"endpoint": {"url": url}})
            else:
                call("POST", "/endpoints", {"endpoint": {
                    "service_id": service_id, "interface": interface, "url": url,
                    "region_id": REGION}})

    def project_id(self, name):
        projects = self._admin()("GET", f"/projects?name={name}")["projects"]
        if not projects:
            raise KeystoneError(f"no project {name!r}")
        return projects[0]["id"]

    def authtoken_options(self):
        """The [keystone_authtoken] options a compute server needs to validate our tokens."""
        return {
            "www_authenticate_uri": self.auth_url,
            "auth_url": self.auth_url,
            "auth_type": "password",
            "username": SERVICE.username,
            "password": SERVICE.password,
            "project_name": SERVICE.project,
            "user_domain_name": DOMAIN,
            "project_domain_name": DOMAIN,
            "region_name": REGION,
            # A stopped Keystone refuses connections: a 503 at once, whatever this says. A slow
            # one (one worker, a loaded 2-core machine: seen taking over 2 s) gets this long
            # before its 503, bounded well below any client's own timeout.
            "http_connect_timeout": "10",
            "http_request_max_retries": "0",
        }

    def up(self, compute_url=None):
        """Configure (first time), start, provision and register; returns timings."""
        timings = {}
        started = time.monotonic()
        if not self.is_configured:
            self.configure()
            timings["configure_s"] = round(time.monotonic() - started, 1)
        timings["start_s"] = round(self.start(), 1)
        mark = time.monotonic()
        self.provision()
        if compute_url:
            self.register_compute(compute_url)
        timings["provision_s"] = round(time.monotonic() - mark, 1)
        timings["total_s"] = round(time.monotonic() - started, 1)
        return timings


def main(argv=None):
    parser = argparse.ArgumentParser(description="A real Keystone for integration tests.")
    parser.add_argument("action", choices=["up", "start", "stop", "token"])
    parser.add_argument("account", nargs="?", default="admin", choices=sorted(ACCOUNTS))
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--port", type=int)
    parser.add_argument("--compute-url", help="register this compute endpoint in the catalog")
    args = parser.parse_args(argv)
    keystone = Keystone(args.state_dir, port=args.port)
    if args.action == "up":
        timings = keystone.up(args.compute_url)
        print(json.dumps({"auth_url": keystone.auth_url, "pid": keystone._pid(), **timings}))
    elif args.action == "start":
        print(f"keystone up on {keystone.auth_url} after {keystone.start():.1f} s")
    elif args.action == "stop":
        keystone.stop()
        print("keystone stopped")
    else:
        print(keystone.token(args.account)[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
