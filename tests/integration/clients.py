"""Run the real OpenStack clients (openstack, nova, openstacksdk) from the `clients` venv.

Every call is a subprocess with OS_CLIENT_CONFIG_FILE pointing at a clouds.yaml written here,
so the clients see exactly what a user's configuration would give them. Nothing of the
clients' own environment (OS_* variables of the caller) leaks in.
"""
import json
import os
import pathlib
import subprocess
from dataclasses import dataclass

SDK_SCRIPT = pathlib.Path(__file__).with_name("sdk_scenarios.py")
# OSC imports for ~2 s per call; a server create --wait polls every 5 s. Generous, bounded.
CALL_TIMEOUT_S = 240


@dataclass
class Result:
    args: list
    returncode: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)

    def describe(self):
        return (f"$ {' '.join(self.args)}\nexit {self.returncode}\n--- stdout\n"
                f"{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}")


def noauth_cloud(endpoint, token):
    """A cloud for the noauth server: admin_token sends `X-Auth-Token: <user:project>`.

    (auth_type none would send "notused"; the identity override is never contacted but OSC's
    identity version check needs one.)
    """
    return {"auth_type": "admin_token",
            "auth": {"endpoint": endpoint, "token": token},
            "identity_api_version": 3,
            "compute_endpoint_override": endpoint,
            "identity_endpoint_override": endpoint}


def keystone_cloud(keystone, account):
    """A cloud authenticating `account` (a keystone.Account) against the real Keystone."""
    return {"auth_type": "password",
            "auth": {"auth_url": keystone.auth_url, "username": account.username,
                     "password": account.password, "project_name": account.project,
                     "user_domain_name": "Default", "project_domain_name": "Default"},
            "region_name": "RegionOne",
            "identity_api_version": 3}


class Clients:
    def __init__(self, venv, work_dir):
        self.venv = pathlib.Path(venv)
        self.work_dir = pathlib.Path(work_dir)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.clouds_file = self.work_dir / "clouds.yaml"
        self.clouds = {}

    def add_cloud(self, name, config):
        """Add or replace a clouds.yaml entry (JSON is valid YAML, so no yaml library needed)."""
        self.clouds[name] = config
        self.clouds_file.write_text(json.dumps({"clouds": self.clouds}, indent=1))
        return name

    def _env(self, extra=None):
        env = {key: value for key, value in os.environ.items() if not key.startswith("OS_")}
        env.update(OS_CLIENT_CONFIG_FILE=str(self.clouds_file),
                   # keep the clients' caches and logs inside the work dir
                   HOME=str(self.work_dir), PYTHONWARNINGS="ignore")
        env.update(extra or {})
        return env

    def _run(self, args, env=None, timeout=CALL_TIMEOUT_S):
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                              env=self._env(env), cwd=self.work_dir, stdin=subprocess.DEVNULL)
        return Result(args, done.returncode, done.stdout, done.stderr)

    def openstack(self, cloud, *args):
        return self._run([str(self.venv / "bin" / "openstack"), "--os-cloud", cloud, *args])

    def nova(self, *args, env=None):
        return self._run([str(self.venv / "bin" / "nova"), *args], env=env)

    def sdk(self, scenario, cloud, **params):
        """Run one scenario of sdk_scenarios.py with the venv's python; returns the Result."""
        return self._run([str(self.venv / "bin" / "python"), str(SDK_SCRIPT), scenario,
                          "--cloud", cloud, "--params", json.dumps(params)])
