"""portal service requests as their own kind with open/answered/closed (issue 14, helper P)

Revision ID: a14000000001
Revises: 36218773c979
Create Date: 2026-12-02 01:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a14000000001'
down_revision = '36218773c979'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
