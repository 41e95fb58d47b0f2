"""The request context: who is calling, for which project, with which roles."""
import functools

from oslo_context import context


class RequestContext(context.RequestContext):
    """oslo.context's context (oslo.policy reads its to_policy_values()); admin role means is_admin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if 'admin' in self.roles:
            self.is_admin = True

    @functools.cached_property
    def policy_values_key(self):
        """to_policy_values() as a hashable tuple: the credentials policy verdicts depend on
        (policy.Enforcer remembers verdicts by it). A context's identity is fixed at creation."""
        return tuple(sorted((name, tuple(value) if isinstance(value, list) else value)
                            for name, value in self.to_policy_values().items()))

    def __repr__(self):
        # Never the token.
        return '<RequestContext user=%s project=%s roles=%s>' % (self.user_id, self.project_id, self.roles)
