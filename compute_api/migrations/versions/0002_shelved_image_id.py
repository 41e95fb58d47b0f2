"""instances.shelved_image_id: the snapshot a shelve took, which unshelve boots (nova keeps it in
system_metadata). Servers shelved before it have none and unshelve from their own image.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('instances', sa.Column('shelved_image_id', sa.String(length=36), nullable=True))


def downgrade():
    # A plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35 has it): rebuilding instances on SQLite
    # would drop the table that instance_metadata and the others reference.
    op.drop_column('instances', 'shelved_image_id')
