"""Milestones are ordered by a sort key set over every milestone of the phase, not by a rank
computed over what one side sees (which gave duplicate ranks next to the other side's
INTERNAL milestones, and counted them).

A new milestone, or one moved to the end, takes the database clock (microseconds since the
epoch) as its key, so it comes after every milestone of the phase, seen or not, and two editors
adding at once get different keys without reading each other's rows; one moved first takes the
negated clock; one moved between two neighbours takes the midpoint of theirs (numeric, exact).
The position a client reads is computed over what its side sees, so it has no gaps.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.execute("ALTER TABLE milestone RENAME COLUMN rank TO sort_key")
    op.execute("ALTER TABLE milestone ALTER COLUMN sort_key TYPE numeric USING sort_key::numeric")
    op.execute("ALTER INDEX milestone_phase_rank_idx RENAME TO milestone_phase_order_idx")


def downgrade() -> None:
    op.execute("ALTER INDEX milestone_phase_order_idx RENAME TO milestone_phase_rank_idx")
    op.execute(
        "UPDATE milestone m SET sort_key = r.rank FROM ("
        " SELECT partnership_id, id, row_number() OVER ("
        "  PARTITION BY partnership_id, phase ORDER BY sort_key, id) - 1 AS rank FROM milestone"
        ") r WHERE m.partnership_id = r.partnership_id AND m.id = r.id"
    )
    op.execute("ALTER TABLE milestone ALTER COLUMN sort_key TYPE integer USING sort_key::integer")
    op.execute("ALTER TABLE milestone RENAME COLUMN sort_key TO rank")
