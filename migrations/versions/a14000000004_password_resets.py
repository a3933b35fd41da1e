"""one-time password reset links (issue 14, helper U)

Revision ID: a14000000004
Revises: a14000000003
Create Date: 2026-12-02 01:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a14000000004'
down_revision = 'a14000000003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
