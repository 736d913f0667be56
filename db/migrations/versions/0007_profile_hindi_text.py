"""names as data, not as a dict's repr: the helpdesk's profile edit stored str({"hi": ..., "en": ...}) in
artisans.district (review 3.9); such a value becomes the Hindi name, the text the bot itself stores there. In
listing fields and conversation drafts (JSON) a named thing held as such a string gets its {"hi", "en"} pair back.

Revision ID: 0007_hindi
Revises: 0006

The downgrade changes nothing: the repr was a bug, and which rows held one is not recorded.
"""
import ast

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007_hindi"
down_revision = "0006"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")
PROFILE = ("name", "district", "craft")  # artisan columns
NAMED = ("product", "material", "district", "craft")  # JSON fields holding one {"hi", "en"} pair
LISTED = ("colour", "colours")  # JSON fields holding a list of pairs

artisans = sa.table("artisans", sa.column("id", sa.Integer), *(sa.column(name, sa.String) for name in PROFILE))
listings = sa.table("listings", sa.column("id", sa.Integer), sa.column("fields", Json))
conversations = sa.table("conversations", sa.column("id", sa.Integer), sa.column("slots", Json),
                         sa.column("context", Json))


def pair_in(value):
    """The {"hi", "en"} dict whose repr `value` is, else None."""
    if not (isinstance(value, str) and value.lstrip().startswith("{")):
        return None
    try:
        found = ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        return None
    if isinstance(found, dict) and found and set(found) <= {"hi", "en"}:
        return {"hi": found.get("hi"), "en": found.get("en")}
    return None


def hindi_text(value):
    """A profile column's value with a dict's repr replaced by its Hindi name (its English one if it has none)."""
    found = pair_in(value)
    return (found["hi"] or found["en"]) if found else value


def _fixed_value(key, value):
    if key in NAMED:
        return pair_in(value) or value
    if key in LISTED and isinstance(value, list):
        return [pair_in(item) or item for item in value]
    return value


def fixed_fields(fields):
    """JSON fields with each named thing held as a repr string turned back into its pair; None if none was."""
    if not isinstance(fields, dict):
        return None
    fixed = {key: _fixed_value(key, value) for key, value in fields.items()}
    return fixed if fixed != fields else None


def fixed_context(context):
    """A conversation's context with its profile and early product facts fixed; None if nothing changed."""
    if not isinstance(context, dict):
        return None
    fixed = {key: (fixed_fields(value) or value) if key in ("profile", "early_slots") else value
             for key, value in context.items()}
    return fixed if fixed != context else None


def _fix_artisans(conn) -> None:
    like = sa.or_(*(artisans.c[name].like("{%") for name in PROFILE))
    for row in conn.execute(sa.select(artisans).where(like)).mappings():
        changes = {name: hindi_text(row[name]) for name in PROFILE if hindi_text(row[name]) != row[name]}
        if changes:
            conn.execute(artisans.update().where(artisans.c.id == row["id"]).values(**changes))


def _fix_listings(conn) -> None:
    for row in conn.execute(sa.select(listings).where(sa.cast(listings.c.fields, sa.Text).like("%{'%"))):
        fields = fixed_fields(row.fields)
        if fields is not None:
            conn.execute(listings.update().where(listings.c.id == row.id).values(fields=fields))


def _fix_conversations(conn) -> None:
    either = sa.or_(sa.cast(conversations.c.slots, sa.Text).like("%{'%"),
                    sa.cast(conversations.c.context, sa.Text).like("%{'%"))
    for row in conn.execute(sa.select(conversations).where(either)):
        changes = {"slots": fixed_fields(row.slots), "context": fixed_context(row.context)}
        changes = {key: value for key, value in changes.items() if value is not None}
        if changes:
            conn.execute(conversations.update().where(conversations.c.id == row.id).values(**changes))


def upgrade() -> None:
    conn = op.get_bind()
    _fix_artisans(conn)
    _fix_listings(conn)
    _fix_conversations(conn)


def downgrade() -> None:
    pass
