"""notifications stored as kind + params, follows (issue 14, helper N)

Revision ID: a14000000002
Revises: a14000000001
Create Date: 2026-12-02 01:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a14000000002'
down_revision = 'a14000000001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
