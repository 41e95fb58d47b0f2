"""The real compute-api server process, started on a free 127.0.0.1 port for integration tests.

The server runs from the same Python as the tests, importing the package from this checkout
(PYTHONPATH = repository root), so what is tested is the tree, not whatever got pip-installed.
It gets its own state directory (SQLite database) and a config file written here; stopping and
starting again on the same state directory keeps every row.

CLI (from the repository root), e.g. to poke at a server by hand:
    python -m tests.integration.server --state-dir D [--port P]
"""
import argparse
import os
import pathlib
import signal
import subprocess
import sys
import time

from tests.integration import rest, support

# Run the entry points of this checkout, whatever console scripts are or are not installed.
API_MAIN = "import sys; from compute_api.cmd.api import main; sys.exit(main())"
MANAGE_MAIN = "import sys; from compute_api.cmd.manage import main; sys.exit(main())"


class ServerError(RuntimeError):
    pass


class ComputeServer:
    """compute-api --config-file F, with F written from the constructor's arguments.

    auth_strategy "noauth" takes `X-Auth-Token: user:project`; "keystone" needs `keystone`
    (a tests.integration.keystone.Keystone) whose [keystone_authtoken] options are written in.
    `extra_config` adds or overrides options: {"section": {"option": "value"}}.
    """

    def __init__(self, state_dir, port=None, auth_strategy="noauth", keystone=None,
                 extra_config=None, name="compute-api", log_dir=None):
        if auth_strategy == "keystone" and keystone is None:
            raise ValueError("auth_strategy keystone needs a Keystone")
        self.state_dir = pathlib.Path(state_dir).resolve()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or rest.free_port()
        self.auth_strategy = auth_strategy
        self.keystone = keystone
        self.extra_config = extra_config or {}
        self.name = name
        self.log_dir = pathlib.Path(log_dir) if log_dir else support.logs_dir()
        self.log_file = self.log_dir / f"{name}.log"
        self.process = None
        self.starts = 0

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_file(self):
        return self.state_dir / "compute-api.conf"

    def config(self):
        sections = {
            "DEFAULT": {"state_path": str(self.state_dir),
                        "osapi_compute_listen": "127.0.0.1",
                        "osapi_compute_listen_port": str(self.port),
                        "compute_driver": "fake"},
            "api": {"auth_strategy": self.auth_strategy},
        }
        if self.auth_strategy == "keystone":
            sections["keystone_authtoken"] = self.keystone.authtoken_options()
        for section, options in self.extra_config.items():
            sections.setdefault(section, {}).update(options)
        return sections

    def write_config(self):
        lines = []
        for section, options in self.config().items():
            lines.append(f"[{section}]")
            lines.extend(f"{key} = {value}" for key, value in options.items())
            lines.append("")
        self.config_file.write_text("\n".join(lines))
        return self.config_file

    def _env(self):
        path = os.environ.get("PYTHONPATH")
        root = str(support.REPO_ROOT)
        return dict(os.environ, PYTHONPATH=f"{root}{os.pathsep}{path}" if path else root)

    def manage(self, *args, timeout=120):
        """compute-api-manage --config-file F ARGS (e.g. "db", "sync"); returns its output."""
        self.write_config()
        done = subprocess.run(
            [sys.executable, "-c", MANAGE_MAIN, "--config-file", str(self.config_file), *args],
            capture_output=True, text=True, timeout=timeout, env=self._env(),
            cwd=self.state_dir)
        if done.returncode:
            raise ServerError(f"compute-api-manage {' '.join(args)} failed ({done.returncode}):"
                              f"\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        return done.stdout

    def start(self, timeout=45):
        """Start the server and wait until GET / answers 200; returns the seconds it took."""
        if self.running:
            return 0.0
        self.write_config()
        self.starts += 1
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as out:
            out.write(f"\n===== start #{self.starts} {time.strftime('%H:%M:%S')} =====\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-c", API_MAIN, "--config-file", str(self.config_file)],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=self._env(), cwd=self.state_dir, start_new_session=True)
        try:
            return rest.wait_until_up(self.base_url + "/", timeout,
                                      is_alive=lambda: self.process.poll() is None)
        except (TimeoutError, RuntimeError) as exc:
            self.stop(signal.SIGKILL)
            raise ServerError(f"compute-api did not start: {exc}\n--- {self.log_file}:\n"
                              f"{support.tail(self.log_file)}") from None

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Send `sig` (SIGTERM: graceful; SIGKILL: crash) and wait; returns the exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        status = self.process.returncode
        self.process = None
        rest.wait_until_down("127.0.0.1", self.port)
        return status

    def kill(self):
        return self.stop(signal.SIGKILL)

    def restart(self, sig=signal.SIGTERM):
        self.stop(sig)
        return self.start()

    def versions(self):
        resp = rest.request("GET", self.base_url + "/")
        if resp.status != 200:
            raise ServerError(f"GET / answered {resp.status}")
        return resp.json()["versions"]

    def max_microversion(self):
        """The top of the v2.1 microversion range the running server advertises."""
        for version in self.versions():
            if version["id"] == "v2.1":
                return version["version"]
        raise ServerError("GET / lists no v2.1")

    def log_tail(self, lines=60):
        return support.tail(self.log_file, lines)


class GunicornServer(ComputeServer):
    """compute_api.wsgi:application under gunicorn, as production runs it: the config file comes
    by $COMPUTE_API_CONFIG. That entry refuses noauth unless [api] noauth_allow_remote = true,
    which noauth servers here set (allow_noauth=False leaves it out)."""

    def __init__(self, state_dir, workers=2, threads=1, allow_noauth=True, **kwargs):
        super().__init__(state_dir, **kwargs)
        self.workers, self.threads, self.allow_noauth = workers, threads, allow_noauth

    def config(self):
        sections = super().config()
        if self.auth_strategy == "noauth" and self.allow_noauth:
            sections["api"].setdefault("noauth_allow_remote", "true")
        return sections

    def command(self):
        """(argv, environment) of the gunicorn master, with the config file written."""
        self.write_config()
        env = dict(self._env(), COMPUTE_API_CONFIG=str(self.config_file))
        return ([sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--threads", str(self.threads),
                 "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5", "compute_api.wsgi:application"],
                env)

    def start(self, timeout=45):
        argv, env = self.command()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as out:
            self.process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            env=env, cwd=self.state_dir, start_new_session=True)
        try:
            return rest.wait_until_up(self.base_url + "/", timeout, is_alive=lambda: self.process.poll() is None)
        except (TimeoutError, RuntimeError) as exc:
            self.kill()
            raise ServerError(f"gunicorn did not start: {exc}\n{self.log_tail()}") from None


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run compute-api (noauth) on a state dir.")
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--port", type=int)
    args = parser.parse_args(argv)
    server = ComputeServer(args.state_dir, port=args.port)
    server.manage("db", "sync")
    print(f"compute-api up on {server.base_url} after {server.start():.1f} s; Ctrl-C stops it")
    try:
        server.process.wait()
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
