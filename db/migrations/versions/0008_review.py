"""review without taking over: a `flags` table (several open reasons per conversation, each with its real time),
and a display name and grammatical gender for staff, used in the greeting artisans hear (issue 19).

Revision ID: 0008_review
Revises: 0007_hindi

Upgrade: each conversation's one open flag becomes a row of `flags`. A "review" flag becomes one row per listing
still waiting for review, opened when that listing was submitted; a listing waiting with no flag at all (the sweep
had not run yet) gets its row too. The conversation's columns stay, as the summary of its open flags: `flagged_at`
the oldest one's time, `flag_reason` and `flag_detail` the newest one's.

Downgrade: the summary columns already hold what the old code reads; the table and the staff columns go.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_review"
down_revision = "0007_hindi"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)

conversations = sa.table("conversations", sa.column("id", sa.Integer), sa.column("artisan_id", sa.Integer),
                         sa.column("flagged_at", When), sa.column("flag_reason", sa.String),
                         sa.column("flag_detail", sa.Text))
listings = sa.table("listings", sa.column("id", sa.Integer), sa.column("artisan_id", sa.Integer),
                    sa.column("status", sa.String), sa.column("created_at", When), sa.column("fields", sa.JSON))
flags = sa.table("flags", sa.column("conversation_id", sa.Integer), sa.column("reason", sa.String),
                 sa.column("detail", sa.Text), sa.column("listing_id", sa.Integer), sa.column("opened_at", When))


def upgrade() -> None:
    op.create_table(
        "flags",
        sa.Column("id", BigId, nullable=False),
        sa.Column("conversation_id", BigId, sa.ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("listing_id", BigId, sa.ForeignKey("listings.id", ondelete="SET NULL"), nullable=True),
        sa.Column("opened_at", When, nullable=False),
        sa.Column("closed_at", When, nullable=True),
        sa.Column("closed_by", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_flags_conversation", "flags", ["conversation_id", "closed_at"])
    op.create_index("ix_flags_open", "flags", ["closed_at", "opened_at"])
    op.add_column("staff_users", sa.Column("display_name", sa.String(length=80), nullable=True))
    op.add_column("staff_users", sa.Column("gender", sa.String(length=8), nullable=True))
    _move_open_flags(op.get_bind())


def _product(fields) -> str:
    product = (fields or {}).get("product") if isinstance(fields, dict) else None
    if isinstance(product, dict):
        return product.get("hi") or product.get("en") or "—"
    return str(product or "—")


def _move_open_flags(conn) -> None:
    waiting = {}  # artisan id -> [(listing id, submitted at, product)]
    for row in conn.execute(sa.select(listings).where(listings.c.status == "review").order_by(listings.c.id)):
        waiting.setdefault(row.artisan_id, []).append(row)
    for conv in conn.execute(sa.select(conversations)):
        rows = [dict(conversation_id=conv.id, reason="review", listing_id=listing.id, opened_at=listing.created_at,
                     detail=f"Listing #{listing.id} waiting: {_product(listing.fields)}")
                for listing in waiting.get(conv.artisan_id, [])]
        if conv.flagged_at is not None and conv.flag_reason != "review":
            rows.append(dict(conversation_id=conv.id, reason=conv.flag_reason or "released", listing_id=None,
                             opened_at=conv.flagged_at, detail=conv.flag_detail))
        if rows:
            conn.execute(flags.insert(), rows)
        if rows or conv.flagged_at is not None:  # a "review" flag whose listings were all dealt with: cleared
            _summarise(conn, conv.id, rows)


def _summarise(conn, conversation_id, rows) -> None:
    """The conversation's columns as bot/conversation_ops.py keeps them: the oldest wait, the newest reason."""
    newest = rows[-1] if rows else {"reason": None, "detail": None}
    conn.execute(conversations.update().where(conversations.c.id == conversation_id).values(
        flagged_at=min((row["opened_at"] for row in rows), default=None), flag_reason=newest["reason"],
        flag_detail=newest["detail"]))


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("gender")
        batch.drop_column("display_name")
    op.drop_index("ix_flags_open", table_name="flags")
    op.drop_index("ix_flags_conversation", table_name="flags")
    op.drop_table("flags")
