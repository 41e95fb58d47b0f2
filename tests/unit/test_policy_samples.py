"""The committed compute_api/etc/policy.yaml.sample and compute_api/etc/compute-api.conf.sample are
what the generators produce from the code now, on any machine. When this fails, regenerate both
(from the repository root):

    oslopolicy-sample-generator --config-file compute_api/etc/oslo-policy-generator.conf
    oslo-config-generator --config-file compute_api/etc/oslo-config-generator.conf

and commit them (a library upgrade that rewords its help text also needs this). The policy
generator's config names the one namespace compute_api; the config generator's adds the libraries
in the pipeline (keystonemiddleware, oslo.policy, oslo.middleware) to compute_api's own options.
"""
import os
import subprocess
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POLICY_SAMPLE = 'compute_api/etc/policy.yaml.sample'
CONFIG_SAMPLE = 'compute_api/etc/compute-api.conf.sample'


def _generate(tmp_path, tool, *args):
    """`tool args --output-file F` run from the repository root under another $HOME (a default
    that depends on the machine shows up as a stale sample); returns F's text."""
    generated = tmp_path / 'generated'
    home = tmp_path / 'home'
    home.mkdir(exist_ok=True)
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), tool), *args,
                           '--output-file', str(generated)],
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
                          env=dict(os.environ, HOME=str(home)))
    assert done.returncode == 0, done.stderr
    return generated.read_text()


def _committed(sample):
    with open(os.path.join(REPO_ROOT, sample)) as committed:
        return committed.read()


@pytest.mark.parametrize('tool,generator_conf,sample', [
    ('oslopolicy-sample-generator', 'compute_api/etc/oslo-policy-generator.conf', POLICY_SAMPLE),
    ('oslo-config-generator', 'compute_api/etc/oslo-config-generator.conf', CONFIG_SAMPLE),
])
def test_committed_sample_is_up_to_date(tmp_path, tool, generator_conf, sample):
    assert _committed(sample) == _generate(tmp_path, tool, '--config-file', generator_conf), (
        "%s is stale: see this module's docstring" % sample)


def test_policy_sample_is_the_compute_api_namespace(tmp_path):
    assert _committed(POLICY_SAMPLE) == _generate(tmp_path, 'oslopolicy-sample-generator',
                                                  '--namespace', 'compute_api')


def _by_group_and_namespace(sample):
    """{(group, namespace): its text} of a generated config sample ("[group]" lines, then
    "# From namespace" headers)."""
    parts, key = {}, None
    group = None
    lines = sample.splitlines()
    for n, line in enumerate(lines):
        if line.startswith('[') and line.endswith(']'):
            group, key = line[1:-1], None
        elif line.startswith('# From ') and n and lines[n - 1] == '#':
            key = (group, line[len('# From '):])
            parts[key] = []
        elif key is not None:
            parts[key].append(line)
    return {key: '\n'.join(text).strip('\n#') for key, text in parts.items()}


def test_config_sample_holds_the_compute_api_namespace_as_generated_alone(tmp_path):
    ours = _by_group_and_namespace(_generate(tmp_path, 'oslo-config-generator', '--namespace', 'compute_api',
                                             '--wrap-width', '79'))
    committed = _by_group_and_namespace(_committed(CONFIG_SAMPLE))
    assert {group for group, _namespace in ours} >= {'DEFAULT', 'api', 'database', 'network'}
    assert ours == {key: text for key, text in committed.items() if key[1] == 'compute_api'}
