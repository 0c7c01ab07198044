"""Text search over milestones and commitments: a GIN index on each one's document (title,
then description, in English), the expression `mutual.kit.search.search_vector` queries.

Revision ID: 0010
Revises: 0008
"""

from alembic import op

revision = "0010"
down_revision = "0008"

TABLES = ("milestone", "commitment")


def upgrade() -> None:
    for table in TABLES:
        op.execute(
            f"CREATE INDEX {table}_search_idx ON {table} USING gin "
            "(to_tsvector('english'::regconfig, title || ' ' || description))"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP INDEX {table}_search_idx")
