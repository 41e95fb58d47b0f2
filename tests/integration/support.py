"""Paths shared by the integration helpers, and access to tools/integration_venvs.py."""
import importlib.util
import os
import pathlib

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def results_dir():
    """Where logs and summaries go: $COMPUTE_API_RESULTS or <repo>/results."""
    path = pathlib.Path(os.environ.get("COMPUTE_API_RESULTS", REPO_ROOT / "results"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir():
    path = results_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _load_venvs_module():
    # tools/ is not a package; load the script by path so it stays a plain runnable file.
    spec = importlib.util.spec_from_file_location(
        "integration_venvs", REPO_ROOT / "tools" / "integration_venvs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


venvs = _load_venvs_module()


def tail(path, lines=40):
    """The last lines of a log file, for error messages."""
    try:
        return "\n".join(pathlib.Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"
