"""storefront: indexes for newest-first pages of public listings and for a page's photos

Revision ID: 0004_store
Revises: 0003
"""
from alembic import op

revision = "0004_store"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A catalogue page walks this index newest first and stops after 48 rows, instead of sorting them all.
    op.create_index("ix_listings_public_order", "listings", ["status", "published_at", "id"])
    # A page's photos come by listing id, one query per page: without this, a scan of every photo.
    op.create_index("ix_photos_listing", "photos", ["listing_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_photos_listing", table_name="photos")
    op.drop_index("ix_listings_public_order", table_name="listings")
