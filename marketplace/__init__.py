"""Artisans' products: listings and their lifecycle, photos, the builder, storefront, feeds, publishers."""
