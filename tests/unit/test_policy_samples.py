"""The committed compute_api/etc/policy.yaml.sample and compute_api/etc/compute-api.conf.sample are
what the generators produce from the code now. When this fails, regenerate both (from the repository root):

    oslopolicy-sample-generator --config-file compute_api/etc/oslo-policy-generator.conf
    oslo-config-generator --config-file compute_api/etc/oslo-config-generator.conf

and commit them (a library upgrade that rewords its help text also needs this).
"""
import os
import subprocess
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize('tool,generator_conf,sample', [
    ('oslopolicy-sample-generator', 'compute_api/etc/oslo-policy-generator.conf', 'compute_api/etc/policy.yaml.sample'),
    ('oslo-config-generator', 'compute_api/etc/oslo-config-generator.conf', 'compute_api/etc/compute-api.conf.sample'),
])
def test_committed_sample_is_up_to_date(tmp_path, tool, generator_conf, sample):
    generated = tmp_path / os.path.basename(sample)
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), tool), '--config-file', generator_conf,
                           '--output-file', str(generated)],
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    with open(os.path.join(REPO_ROOT, sample)) as committed:
        assert committed.read() == generated.read_text(), '%s is stale: see this module\'s docstring' % sample
