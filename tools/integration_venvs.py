#!/usr/bin/env python3
"""Create or reuse the virtualenvs the integration stage runs outside the project's own Python.

Keystone, tempest and the OpenStack clients pull in hundreds of packages whose pins clash with
the server's, so each lives in its own venv, cached under

    ${COMPUTE_API_CACHE:-~/.cache/compute-api}/venvs/<name>-<hash>

where <hash> covers the requirement list and the Python version: changing either builds a new
venv, anything else reuses the old one. A venv counts as built only once its ``.complete``
marker exists (written after every install step succeeded), so an interrupted build is thrown
away and redone rather than half-used.

Usage:
    python tools/integration_venvs.py                 # build/reuse all of them
    python tools/integration_venvs.py tempest clients # only these
    python tools/integration_venvs.py --path keystone # print the venv path (builds if needed)

Importable: ``ensure_venv(name) -> pathlib.Path``.
"""
import argparse
import fcntl
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import time

# Newest releases on purpose: the integration stage checks that the server works with the
# clients people install today. Pin here (and the hash changes) if a release breaks us.
VENVS = {
    # keystoneauth1 scripts the catalog; gunicorn serves keystone (one worker, see keystone.py).
    "keystone": ["keystone", "gunicorn", "keystoneauth1"],
    "tempest": ["tempest"],
    "clients": ["openstacksdk", "python-openstackclient", "python-novaclient"],
}

# A bare pip install of keystone takes ~3 minutes here; far beyond that, something hangs.
INSTALL_TIMEOUT_S = 1500


def cache_root():
    return pathlib.Path(os.environ.get("COMPUTE_API_CACHE",
                                       pathlib.Path.home() / ".cache" / "compute-api"))


def venv_key(name):
    spec = "\n".join([sys.version.split()[0], *VENVS[name]])
    return hashlib.sha256(spec.encode()).hexdigest()[:12]


def venv_path(name):
    return cache_root() / "venvs" / f"{name}-{venv_key(name)}"


def venv_bin(name, program):
    return venv_path(name) / "bin" / program


def _run(cmd):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, timeout=INSTALL_TIMEOUT_S)


def ensure_venv(name, log=print):
    """Return the path of venv ``name``, building it first if it is missing or unfinished."""
    if name not in VENVS:
        raise SystemExit(f"unknown venv {name!r}; known: {', '.join(VENVS)}")
    path = venv_path(name)
    marker = path / ".complete"
    if marker.exists():
        log(f"venv {name}: reusing {path}")
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    # Two test sessions may ask for the same venv at once: the second waits for the first.
    with open(path.parent / f".{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists():
            log(f"venv {name}: reusing {path} (built by another process)")
            return path
        if path.exists():
            log(f"venv {name}: removing unfinished {path}")
            shutil.rmtree(path)
        log(f"venv {name}: building {path} with {' '.join(VENVS[name])}")
        started = time.monotonic()
        try:
            _run([sys.executable, "-m", "venv", str(path)])
            pip = [str(path / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
            _run([*pip, "install", "-qq", "--upgrade", "pip", "setuptools", "wheel"])
            _run([*pip, "install", "-qq", *VENVS[name]])
            frozen = subprocess.run([*pip, "freeze"], check=True, capture_output=True,
                                    text=True).stdout
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            shutil.rmtree(path, ignore_errors=True)
            raise SystemExit(f"venv {name}: build FAILED: {exc}") from exc
        marker.write_text(frozen)
        log(f"venv {name}: built in {time.monotonic() - started:.0f} s")
    return path


def installed_version(name, distribution):
    """Version of ``distribution`` recorded when venv ``name`` was built, or None."""
    marker = venv_path(name) / ".complete"
    if not marker.exists():
        return None
    prefix = distribution.lower().replace("_", "-") + "=="
    for line in marker.read_text().splitlines():
        if line.lower().replace("_", "-").startswith(prefix):
            return line.split("==", 1)[1]
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help=f"venvs to build (default: {' '.join(VENVS)})")
    parser.add_argument("--path", metavar="NAME", help="print the path of venv NAME only")
    args = parser.parse_args(argv)
    if args.path:
        print(ensure_venv(args.path, log=lambda msg: print(msg, file=sys.stderr)))
        return 0
    for name in args.names or VENVS:
        ensure_venv(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
