#!/usr/bin/env python3
"""Run tempest's compute API tests against the real compute-api behind a real Keystone.

    python tests/integration/tempest/run_tempest.py [--regex R] [--concurrency N]

Builds/reuses the keystone and tempest venvs (tools/integration_venvs.py), starts Keystone and
the server (auth_strategy = keystone) on free ports, writes a tempest workspace, runs
`tempest run` over tempest.api.compute (minus the legacy nova-network test_networks) with
microversions 2.1..<the server's maximum from GET />, and writes

    results/tempest-summary.json   passed/failed/skipped per module and in total, timings
    results/tempest-summary.md     the same for people
    results/logs/                  keystone, compute-api, tempest run and network stub logs

Exit status: 0 when every failure matches a line of expected-failures.txt; 1 on an unexpected
failure, when the run hit --timeout (its counts are partial), when no test ran, and under CI=true
when an entry of expected-failures.txt matched no failure (its test passes, skips or no longer
exists: remove the entry); 2 when the stage could not be set up. The summary lists every skipped
class with tempest's reason.
"""
import argparse
import collections
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time

if __package__ in (None, ""):  # run as a script: make `tests.integration` importable
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3]))

from tests.integration import keystone as keystone_mod  # noqa: E402
from tests.integration import rest, support  # noqa: E402
from tests.integration import server as server_mod  # noqa: E402
from tests.integration.tempest import network_stub  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_REGEX = r"^tempest\.api\.compute\."
# The legacy nova-network API tests: nova itself answers them with 410 Gone since Rocky.
EXCLUDE_REGEX = r"^tempest\.api\.compute\.(admin\.)?test_networks\."
MODULE_RE = re.compile(r"tempest\.api\.compute\.([\w.]+?)\.[A-Z]\w*(?:\.|\)|$)")
CLASS_RE = re.compile(r"tempest\.api\.compute\.([\w.]+?\.[A-Z]\w*)(?:\.|\)|$)")
STATUS_KEYS = {"success": "passed", "fail": "failed", "skip": "skipped",
               "xfail": "passed", "uxsuccess": "failed"}


def log(message):
    print(f"[run_tempest {time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- results ---------------------------------------------------------------------------------
def load_expected_failures(path):
    """[(compiled regex, comment)] from expected-failures.txt; every entry needs its comment."""
    entries = []
    for number, line in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pattern, sep, comment = line.partition("  #")
        if not sep or not comment.strip():
            raise SystemExit(f"{path}:{number}: give each regex a comment naming the missing "
                             f"feature ('REGEX  # feature')")
        entries.append((re.compile(pattern.strip()), comment.strip()))
    return entries


def module_of(test_id):
    match = MODULE_RE.search(test_id)
    return match.group(1) if match else "(other)"


def class_of(test_id):
    """module.Class of a test id, or of a class-level result ("setUpClass (tempest...Class)")."""
    match = CLASS_RE.search(test_id)
    return match.group(1) if match else "(other)"


def in_ci():
    return os.environ.get("CI") == "true"


def skip_reason(result):
    reason = result["reason"].strip()
    return reason.splitlines()[-1][:200] if reason else "(no reason)"


def stale_entries(results, expected):
    """Entries of expected-failures.txt that matched no failure, each with what its regex did
    match: tests that now pass (the feature landed), skipped ones, or nothing at all (renamed or
    no longer run)."""
    stale = []
    for pattern, comment in expected:
        seen = collections.Counter(STATUS_KEYS.get(r["status"], "failed") for r in results
                                   if pattern.search(r["id"]))
        if not seen["failed"]:
            what = ", ".join(f"{n} {outcome}" for outcome, n in sorted(seen.items())) or "matched no test"
            stale.append({"regex": pattern.pattern, "comment": comment, "matched": what})
    return stale


def skipped_classes(results):
    """Each skipped class (or module-level skip) with its reason and how many results it covers:
    tempest skips whole classes in skip_checks (the result id is "setUpClass (...)")."""
    groups = collections.Counter((class_of(r["id"]), skip_reason(r)) for r in results
                                 if STATUS_KEYS.get(r["status"]) == "skipped")
    return [{"class": name, "reason": reason, "results": count}
            for (name, reason), count in sorted(groups.items())]


def summarise(results, expected):
    """Counts per module and in total; failures split by whether expected-failures lists them."""
    modules = collections.defaultdict(lambda: {"passed": 0, "failed": 0, "skipped": 0})
    failures = []
    for result in results:
        outcome = STATUS_KEYS.get(result["status"], "failed")
        modules[module_of(result["id"])][outcome] += 1
        if outcome == "failed":
            reasons = [comment for pattern, comment in expected if pattern.search(result["id"])]
            failures.append({"id": result["id"], "expected": reasons[0] if reasons else None,
                             "reason": result["reason"][-1500:]})
    totals = {key: sum(m[key] for m in modules.values()) for key in ("passed", "failed",
                                                                       "skipped")}
    totals["unexpected_failures"] = sum(1 for f in failures if not f["expected"])
    totals["expected_failures"] = len(failures) - totals["unexpected_failures"]
    return {
        "totals": totals,
        "modules": dict(sorted(modules.items())),
        "failures": failures,
        "stale_expected_failures": stale_entries(results, expected),
        "skipped_classes": skipped_classes(results),
    }


def markdown(summary):
    totals = summary["totals"]
    lines = [
        "# tempest against compute_api",
        "",
        *([f"**The run was stopped at its {summary['timeout_s']} s timeout: the counts below are "
           f"partial and the stage failed.**", ""] if summary["timed_out"] else []),
        f"tempest {summary['tempest_version']}, microversions 2.1..{summary['max_microversion']},"
        f" concurrency {summary['concurrency']}, network stub: {summary['network_stub']}",
        f"regex `{summary['regex']}`, excluded `{EXCLUDE_REGEX}`",
        "",
        f"**{totals['passed']} passed, {totals['failed']} failed "
        f"({totals['expected_failures']} expected), {totals['skipped']} skipped** — "
        f"setup {summary['timings']['setup_s']} s, tempest run {summary['timings']['tempest_s']} s,"
        f" total {summary['timings']['total_s']} s",
        "",
        "| module | passed | failed | skipped |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {c['passed']} | {c['failed']} | {c['skipped']} |"
              for name, c in summary["modules"].items()]
    if summary["failures"]:
        lines += ["", "## Failures", ""]
        lines += [f"- `{f['id']}` — " + (f"expected: {f['expected']}" if f["expected"]
                                         else "**unexpected**")
                  for f in summary["failures"]]
    if summary["stale_expected_failures"]:
        lines += ["", "## expected-failures.txt entries that matched no failure (a failure under CI=true)",
                  ""]
        lines += [f"- `{e['regex']}` ({e['comment']}): {e['matched']}"
                  for e in summary["stale_expected_failures"]]
    if summary["skipped_classes"]:
        lines += ["", "## Skipped, by class, with tempest's reason", "",
                  "| class (tempest.api.compute.…) | results | reason |", "|---|---:|---|"]
        lines += [f"| {c['class']} | {c['results']} | {c['reason'].replace('|', '/')} |"
                  for c in summary["skipped_classes"]]
    return "\n".join(lines) + "\n"


def stage_problems(summary, ran):
    """Why the stage fails (an empty list: it passes)."""
    problems = []
    if not ran:
        problems.append("tempest ran no test: see results/logs/tempest-run.log")
    if summary["timed_out"]:
        problems.append(f"the run hit its {summary['timeout_s']} s timeout: its counts are partial")
    if summary["totals"]["unexpected_failures"]:
        problems.append(f"{summary['totals']['unexpected_failures']} unexpected failures")
    if in_ci() and summary["stale_expected_failures"]:
        problems.append(f"{len(summary['stale_expected_failures'])} stale expected-failures.txt entries "
                        f"(a failure under CI=true)")
    return problems


# -- the stage -------------------------------------------------------------------------------
def render_conf(workspace, keystone, max_microversion, neutron):
    text = (HERE / "tempest.conf.in").read_text()
    for key, value in {"@WS@": str(workspace), "@AUTH_URL@": keystone.auth_url,
                       "@ADMIN_PASSWORD@": keystone_mod.ADMIN_PASSWORD,
                       "@MAX_MICROVERSION@": max_microversion,
                       "@NEUTRON@": "true" if neutron else "false"}.items():
        text = text.replace(key, value)
    (workspace / "etc" / "tempest.conf").write_text(text)


def make_workspace(tempest_venv, work):
    workspace = work / "workspace"
    # --workspace-path keeps tempest's workspace registry out of the home directory.
    subprocess.run([str(tempest_venv / "bin" / "tempest"), "init",
                    "--workspace-path", str(work / "workspace.yaml"),
                    "--name", "compute-api", str(workspace)],
                   check=True, capture_output=True, timeout=120)
    return workspace


def stop_group(proc):
    """SIGTERM, then SIGKILL, to the process group `proc` leads (if it is still there)."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
            proc.wait(grace)
        except ProcessLookupError:
            break
        except subprocess.TimeoutExpired:
            continue


def collect_results(tempest_venv, workspace):
    stream = subprocess.run([str(tempest_venv / "bin" / "stestr"), "last", "--subunit"],
                            cwd=workspace, capture_output=True, timeout=300).stdout
    converted = subprocess.run([str(tempest_venv / "bin" / "python"),
                                str(HERE / "subunit_to_json.py")],
                               input=stream, capture_output=True, check=True, timeout=300)
    return json.loads(converted.stdout)


def run(args):
    started = time.monotonic()
    results = support.results_dir()
    logs = support.logs_dir()
    work = results / "tempest-work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    expected = load_expected_failures(HERE / "expected-failures.txt")

    keystone_venv = support.venvs.ensure_venv("keystone")
    tempest_venv = support.venvs.ensure_venv("tempest")
    tempest_version = support.venvs.installed_version("tempest", "tempest")

    keystone = keystone_mod.Keystone(work / "keystone", log_dir=logs, venv=keystone_venv)
    server = server_mod.ComputeServer(work / "compute", auth_strategy="keystone",
                                      keystone=keystone, name="compute-api-tempest",
                                      log_dir=logs)
    stub = None
    try:
        log(f"keystone: {keystone.up(f'{server.base_url}/v2.1')}")
        if args.network_stub:
            stub_port = rest.free_port()
            stub = network_stub.start(stub_port, logs / "network-stub.log")
            keystone.register_service("network", "network-stub", f"http://127.0.0.1:{stub_port}")
        server.manage("db", "sync")
        log(f"compute-api up on {server.base_url} after {server.start():.1f} s")
        max_mv = args.max_microversion or server.max_microversion()
        workspace = make_workspace(tempest_venv, work)
        render_conf(workspace, keystone, max_mv, neutron=args.network_stub)
        setup_s = round(time.monotonic() - started, 1)
        log(f"setup took {setup_s} s; tempest {tempest_version}, microversions 2.1..{max_mv}")

        cmd = [str(tempest_venv / "bin" / "tempest"), "run", "--concurrency",
               str(args.concurrency), "--regex", args.regex, "--exclude-regex", EXCLUDE_REGEX]
        env = dict(os.environ, PYTHONPATH=str(HERE / "shim"))
        tempest_started = time.monotonic()
        log("+ " + " ".join(cmd))
        with open(logs / "tempest-run.log", "wb") as out:
            # Its own process group: stestr's workers go too when it is stopped early.
            proc = subprocess.Popen(cmd, cwd=workspace, env=env, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            timed_out = False
            try:
                proc.wait(timeout=args.timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                log(f"TIMEOUT: tempest run exceeded {args.timeout} s; stopped (the stage fails)")
            finally:
                stop_group(proc)
        tempest_s = round(time.monotonic() - tempest_started, 1)
        outcomes = collect_results(tempest_venv, workspace)
        shutil.copy(workspace / "logs" / "tempest.log", logs / "tempest.log")
    finally:
        server.stop()
        keystone.stop()
        if stub:
            stub.shutdown()

    summary = {
        "tempest_version": tempest_version, "max_microversion": max_mv,
        "regex": args.regex, "concurrency": args.concurrency,
        "network_stub": args.network_stub,
        "timed_out": timed_out, "timeout_s": args.timeout,
        **summarise(outcomes, expected),
        "timings": {"setup_s": setup_s, "tempest_s": tempest_s,
                    "total_s": round(time.monotonic() - started, 1)},
    }
    (results / "tempest-summary.json").write_text(json.dumps(summary, indent=1))
    (results / "tempest-summary.md").write_text(markdown(summary))
    totals = summary["totals"]
    for failure in summary["failures"]:
        if not failure["expected"]:
            log(f"UNEXPECTED FAILURE {failure['id']}")
    for entry in summary["stale_expected_failures"]:
        log(f"{'STALE' if in_ci() else 'stale'} expected failure (remove it): {entry['regex']} "
            f"({entry['comment']}): {entry['matched']}")
    log(f"written {results / 'tempest-summary.json'} and tempest-summary.md")
    # The plain closing line CI readers look for.
    print(f"tempest: {totals['passed']} passed, {totals['failed']} failed, "
          f"{totals['skipped']} skipped")
    problems = stage_problems(summary, ran=bool(outcomes))
    for problem in problems:
        log(f"STAGE FAILED: {problem}")
    return 1 if problems else 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regex", default=DEFAULT_REGEX, help="tests to run (default: %(default)s)")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--max-microversion", help="default: the server's maximum (GET /)")
    parser.add_argument("--no-network-stub", dest="network_stub", action="store_false",
                        help="neutron = false: the classes needing a network service skip")
    parser.add_argument("--timeout", type=int, default=1200,
                        help="seconds the tempest run may take (default: %(default)s)")
    args = parser.parse_args(argv)
    # A SIGTERM (CI's or `timeout`'s) unwinds like Ctrl-C, so run()'s clean-up stops Keystone
    # and the server instead of leaving them serving.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return run(args)
    except (keystone_mod.KeystoneError, server_mod.ServerError, subprocess.SubprocessError,
            OSError, SystemExit) as exc:  # SystemExit: a venv that could not be built
        log(f"SETUP FAILED: {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
