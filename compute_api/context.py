"""The request context: who is calling, for which project, with which roles."""
from oslo_context import context


class RequestContext(context.RequestContext):
    """oslo.context's context (oslo.policy reads its to_policy_values()); admin role means is_admin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if 'admin' in self.roles:
            self.is_admin = True

    def __repr__(self):
        # Never the token.
        return '<RequestContext user=%s project=%s roles=%s>' % (self.user_id, self.project_id, self.roles)
