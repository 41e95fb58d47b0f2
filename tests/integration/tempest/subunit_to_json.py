"""Read a subunit v2 stream on stdin, print one JSON list of {id, status, reason}.

Run with the tempest venv's python (it has python-subunit and testtools); the runner feeds it
`stestr last --subunit` so the results come from the same record stestr keeps.
"""
import json
import sys

import subunit
import testtools

results = []


def _reason(details):
    for key in ("traceback", "reason"):
        if key in details:
            return details[key].as_text()
    return ""


def collect(test):
    if test["status"] == "exists":  # listing entries, not outcomes
        return
    results.append({"id": test["id"], "status": test["status"],
                    "reason": _reason(test["details"])[-4000:]})


stream = subunit.ByteStreamToStreamResult(sys.stdin.buffer, non_subunit_name="stdout")
sink = testtools.StreamToDict(collect)
sink.startTestRun()
stream.run(sink)
sink.stopTestRun()
json.dump(results, sys.stdout)
