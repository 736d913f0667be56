"""`flask --app app listings …`: publish a listing to a channel, sync it, export the B2B sheet."""
from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace import channels, feeds, price_schedule, pricing

listings_cli = AppGroup("listings", help="Listings: publish to channels, sync, export.")


def _services():
    return current_app.extensions["hunar"]


@listings_cli.command("publish")
@click.argument("listing_id", type=int)
@click.option("--channel", default="ebay", show_default=True, help="the sales channel")
def publish(listing_id: int, channel: str) -> None:
    """Put listing LISTING_ID on CHANNEL now (it is kept in step there afterwards)."""
    services = _services()
    if channel not in services.publishers:
        raise click.UsageError(f"unknown channel {channel!r}; known: {', '.join(services.publishers)}")
    result = channels.sync_by_id(services.db, listing_id, publishers=services.publishers,
                                 media_store=services.media_store, settings=services.settings,
                                 now=services.clock(), only=channel, actor="staff:cli")
    if result is None:
        raise click.ClickException(f"no listing {listing_id}")
    state = result.get(channel)
    if state is None:
        raise click.ClickException(f"listing {listing_id} is not published, so it cannot go on {channel}")
    _report(channel, state)


def _report(channel: str, state: dict) -> None:
    """The channel's new state as JSON; a refusal's reason on stderr too, and exit status 1."""
    click.echo(json.dumps({channel: state}, ensure_ascii=False))
    if state["status"] == "error":
        click.echo(f"{channel}: {state['error']['reason']}", err=True)
        sys.exit(1)


@listings_cli.command("sync")
@click.argument("listing_id", type=int)
def sync(listing_id: int) -> None:
    """Bring LISTING_ID's channels in line with it (what the job does after each change)."""
    services = _services()
    result = channels.sync_by_id(services.db, listing_id, publishers=services.publishers,
                                 media_store=services.media_store, settings=services.settings, now=services.clock())
    click.echo(json.dumps(result, ensure_ascii=False))


@listings_cli.command("export-b2b")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_b2b(path: str) -> None:
    """Write published, in-stock listings as a B2B bulk sheet (TradeIndia-style CSV) to PATH ("-" for stdout)."""
    services = _services()
    with services.db.session() as session:
        items = feeds.items(session, services.media_store, str(services.settings["PUBLIC_BASE_URL"]))
    text = feeds.b2b_csv(pricing.priced(items, "tradeindia", services.settings))
    if path == "-":
        click.echo(text, nl=False)
    else:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        click.echo(f"{len(items)} listings written to {path}")


@listings_cli.command("prices")
@click.option("--asked", default=1200, show_default=True, help="the artisan's rupees")
@click.option("--product", default="durrie", show_default=True, help="the product's English name")
@click.option("--kg", type=float, default=None, help="packed weight (default: the product's)")
def prices(asked: int, product: str, kg: float | None) -> None:
    """Check the price schedule in force (read afresh) and print each channel's price for one product.

    The running app needs no command: it reads the schedule file again whenever the file changes."""
    settings = _services().settings
    price_schedule.forget()
    try:
        schedule = price_schedule.schedule(settings)
    except price_schedule.ScheduleError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"schedule: {price_schedule.path_of(settings)}")
    for channel in schedule["channels"]:
        try:
            found = pricing.quote(channel, asked, {"hi": None, "en": product}, {"weight_kg": kg}, settings)
        except pricing.PricingError as exc:
            raise click.ClickException(f"{channel}: {exc}") from None
        extra = f", postage ₹{found.postage_inr} ({found.postage_class})" if found.postage_class else ""
        click.echo(f"{channel}: {found.currency} {found.price}; the artisan receives ₹{found.payout_inr}{extra}")
