"""A measurement's owner party is a party of its partnership, as every owned record's is
(0002 gave milestone, kpi and commitment this foreign key and left kpi_measurement out).

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    # NOT VALID, then VALIDATE: existing rows are checked without blocking writes meanwhile.
    op.execute(
        "ALTER TABLE kpi_measurement "
        "ADD CONSTRAINT kpi_measurement_partnership_id_owner_party_id_fkey "
        "FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id) "
        "NOT VALID"
    )
    op.execute(
        "ALTER TABLE kpi_measurement VALIDATE CONSTRAINT "
        "kpi_measurement_partnership_id_owner_party_id_fkey"
    )


def downgrade() -> None:
    op.execute(
        "ALTER TABLE kpi_measurement DROP CONSTRAINT "
        "kpi_measurement_partnership_id_owner_party_id_fkey"
    )
