"""tests/integration/tempest/run_tempest.py's verdict: a partial (timed-out) run, a stale
expected-failures entry under CI=true and an unexpected failure fail the stage; skipped classes
are listed with tempest's reason."""
import re

import pytest

from tests.integration.tempest import run_tempest

EXPECTED = [(re.compile(r'tempest\.api\.compute\.test_tenant_networks\.'), 'os-tenant-networks not built'),
            (re.compile(r'tempest\.api\.compute\.test_extensions\.ExtensionsTest\.test_get_extension'),
             'os-consoles not built'),
            (re.compile(r'tempest\.api\.compute\.volumes\.'), 'volumes not built')]
IMAGES_SKIP = 'setUpClass (tempest.api.compute.images.test_images.ImagesTestJSON)'


def result(test_id, status, reason=''):
    return {'id': test_id, 'status': status, 'reason': reason}


RESULTS = [
    result('tempest.api.compute.test_tenant_networks.ComputeTenantNetworksTest.test_list[id-1]', 'fail', 'Traceback'),
    result('tempest.api.compute.test_extensions.ExtensionsTest.test_get_extension[id-2]', 'success'),
    result('tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON.test_list_flavors[id-3]', 'success'),
    result(IMAGES_SKIP, 'skip', 'Traceback...\nunittest.case.SkipTest: Glance is not available.'),
    result('tempest.api.compute.servers.test_servers.ServersTestJSON.test_x[id-4]', 'skip', 'Feature x is disabled'),
    result('tempest.api.compute.servers.test_servers.ServersTestJSON.test_y[id-5]', 'skip', 'Feature x is disabled'),
]


def summary(results=RESULTS, timed_out=False):
    return dict(run_tempest.summarise(results, EXPECTED), timed_out=timed_out, timeout_s=1200)


def test_entries_that_match_no_failure_are_stale_with_what_they_matched():
    stale = summary()['stale_expected_failures']
    assert [(e['comment'], e['matched']) for e in stale] == [('os-consoles not built', '1 passed'),
                                                             ('volumes not built', 'matched no test')]


@pytest.mark.parametrize('ci, failing', [('true', True), ('false', False)])
def test_a_stale_entry_fails_the_stage_under_ci_only(monkeypatch, ci, failing):
    monkeypatch.setenv('CI', ci)
    problems = run_tempest.stage_problems(summary(), ran=True)
    assert problems == (['2 stale expected-failures.txt entries (a failure under CI=true)'] if failing else [])


def test_a_timed_out_run_fails_even_when_what_ran_passed(monkeypatch):
    monkeypatch.setenv('CI', 'false')
    passing = [r for r in RESULTS if r['status'] != 'fail']
    assert run_tempest.stage_problems(summary(passing), ran=True) == []
    assert run_tempest.stage_problems(summary(passing, timed_out=True), ran=True) == [
        'the run hit its 1200 s timeout: its counts are partial']
    text = run_tempest.markdown(dict(summary(passing, timed_out=True), tempest_version='47', max_microversion='2.1',
                                     concurrency=2, network_stub=True, regex='.',
                                     timings={'setup_s': 1, 'tempest_s': 2, 'total_s': 3}))
    assert 'stopped at its 1200 s timeout' in text


def test_an_unexpected_failure_and_an_empty_run_fail(monkeypatch):
    monkeypatch.setenv('CI', 'false')
    failing = RESULTS + [result('tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON.test_z', 'fail')]
    assert run_tempest.stage_problems(summary(failing), ran=True) == ['1 unexpected failures']
    assert run_tempest.stage_problems(summary([]), ran=False)[0].startswith('tempest ran no test')


def test_skipped_classes_are_listed_with_tempests_reason():
    assert summary()['skipped_classes'] == [
        {'class': 'images.test_images.ImagesTestJSON', 'reason': 'unittest.case.SkipTest: Glance is not available.',
         'results': 1},
        {'class': 'servers.test_servers.ServersTestJSON', 'reason': 'Feature x is disabled', 'results': 2}]
