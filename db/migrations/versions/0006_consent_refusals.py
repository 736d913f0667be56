"""consent refusals: a number-hashed record that a first contact said no and was erased

Revision ID: 0006
Revises: 0004_store
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0004_store"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "consent_refusals",
        sa.Column("id", BigId, nullable=False),
        sa.Column("number_hmac", sa.String(length=64), nullable=False),
        sa.Column("consent_version", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consent_refusals_number", "consent_refusals", ["number_hmac"])


def downgrade() -> None:
    op.drop_index("ix_consent_refusals_number", table_name="consent_refusals")
    op.drop_table("consent_refusals")
