"""helpful votes on answers and comments (issue 14, helper F)

Revision ID: a14000000003
Revises: a14000000002
Create Date: 2026-12-02 01:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a14000000003'
down_revision = 'a14000000002'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
