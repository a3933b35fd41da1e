"""portal service requests as their own kind with open/answered/closed (issue 14, helper P)

Revision ID: a14000000001
Revises: 36218773c979
Create Date: 2026-12-02 01:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a14000000001'
down_revision = '36218773c979'
branch_labels = None
depends_on = None


OLD_KINDS = ("note", "call", "visit", "task", "help_request", "complaint", "document", "assessment", "reply", "update")
NEW_KINDS = OLD_KINDS[:-2] + ("service_request",) + OLD_KINDS[-2:]


def _kinds(kinds) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _set_kind_check(kinds) -> None:
    # Batch mode: SQLite copies the table to change a constraint; PostgreSQL alters it in place.
    with op.batch_alter_table('feed_events', schema=None) as batch_op:
        batch_op.drop_constraint('ck_feed_events_kind', type_='check')
        batch_op.create_check_constraint('ck_feed_events_kind', _kinds(kinds))


def upgrade():
    _set_kind_check(NEW_KINDS)
    # Requests the portal filed as complaints become service requests: closed when resolved, answered
    # when the team replied, open otherwise. Real complaints stay complaints.
    op.execute("""
        UPDATE feed_events SET kind = 'service_request',
          status = CASE
            WHEN EXISTS (SELECT 1 FROM portal_requests r WHERE r.event_id = feed_events.id
                         AND r.resolved_at IS NOT NULL) THEN 'closed'
            WHEN EXISTS (SELECT 1 FROM portal_replies p WHERE p.event_id = feed_events.id) THEN 'answered'
            ELSE 'open' END
        WHERE id IN (SELECT event_id FROM portal_requests WHERE kind = 'request')
    """)


def downgrade():
    op.execute("""
        UPDATE feed_events SET kind = 'complaint',
          status = CASE WHEN status = 'open' THEN 'open' ELSE 'acknowledged' END
        WHERE kind = 'service_request'
    """)
    op.execute("UPDATE feed_events SET action = 'acknowledged' WHERE action IN ('answered', 'closed')")
    _set_kind_check(OLD_KINDS)
