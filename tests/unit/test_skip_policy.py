"""tests/skip_policy.py: under CI=true a skip fails the run unless it is on the allow-list."""
import os

import pytest

from tests import skip_policy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ALLOWED_NODE, ALLOWED_REASON = next(iter(skip_policy.ALLOWED_SKIPS.items()))
ALLOWED_FILE, ALLOWED_TEST = ALLOWED_NODE.split('::')


@pytest.fixture
def suite(pytester):
    """A small suite laid out like ours: the allow-listed test at its real path, a test that skips
    for a missing tool, one whose module is skipped, an xfail and a plain pass."""
    pytester.makeini('[pytest]\n')
    pytester.mkdir('tests')
    pytester.mkdir('tests/functional')
    pytester.path.joinpath(ALLOWED_FILE).write_text(
        'import pytest\n\n'
        'def %s():\n    pytest.skip(%r)\n\n'
        'def test_same_place_other_reason():\n    pytest.skip("no database here")\n' % (ALLOWED_TEST, ALLOWED_REASON))
    pytester.path.joinpath('tests/functional/test_tools.py').write_text(
        'import shutil\nimport pytest\n\n'
        '@pytest.mark.skipif(True, reason="qemu-img is not installed")\n'
        'def test_needs_a_tool():\n    pass\n\n'
        '@pytest.mark.xfail(reason="known")\n'
        'def test_expected_to_fail():\n    assert False\n\n'
        'def test_plain():\n    pass\n')
    pytester.path.joinpath('tests/functional/test_module_skip.py').write_text(
        'import pytest\n\nnothing = pytest.importorskip("no_such_module_anywhere")\n\n'
        'def test_never_collected():\n    pass\n')
    return pytester


def run(suite, monkeypatch, ci):
    monkeypatch.setenv('CI', ci)
    # A separate interpreter: the suite's modules must not meet our own tests.* in sys.modules.
    monkeypatch.setenv('PYTHONPATH', ROOT)
    return suite.runpytest_subprocess('-p', 'tests.skip_policy', '-p', 'no:cacheprovider',
                                      '--continue-on-collection-errors', '-rs', 'tests')


def test_under_ci_only_the_allow_listed_skip_passes(suite, monkeypatch):
    result = run(suite, monkeypatch, 'true')
    outcomes = result.parseoutcomes()
    # skipped: the allow-listed one; failed: the other reason in the same file; errors: the
    # missing tool (a skipif mark skips at setup) and the skipped module; the xfail stays one.
    assert (outcomes.get('skipped'), outcomes.get('failed'), outcomes.get('errors'),
            outcomes.get('xfailed'), outcomes.get('passed')) == (1, 1, 2, 1, 1), outcomes
    out = result.stdout.str()
    assert 'test_same_place_other_reason skipped under CI=true (no database here)' in out
    assert 'test_needs_a_tool skipped under CI=true (qemu-img is not installed)' in out
    assert 'test_module_skip.py skipped under CI=true' in out
    assert result.ret != 0


def test_outside_ci_skips_are_skips_and_are_listed(suite, monkeypatch):
    result = run(suite, monkeypatch, 'false')
    outcomes = result.parseoutcomes()
    assert (outcomes.get('skipped'), outcomes.get('failed'), outcomes.get('errors')) == (4, None, None), outcomes
    result.stdout.fnmatch_lines(['SKIPPED *qemu-img is not installed'])
    assert result.ret == 0
