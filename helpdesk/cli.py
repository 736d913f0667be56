"""`flask --app app helpdesk create-user NAME --role agent|admin` and `flask --app app helpdesk sweep`."""
from __future__ import annotations

import click
from flask import Flask

from helpdesk import accounts, staff_profile


def register(app: Flask) -> None:
    group = click.Group("helpdesk", help="Helpdesk staff accounts and chores.")

    @group.command("create-user")
    @click.argument("name")
    @click.option("--role", type=click.Choice(accounts.ROLES), default="agent", show_default=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
                  help=f"at least {accounts.MIN_PASSWORD} characters, not a common or easily guessed "
                       "password, not containing NAME; asked for when not given")
    @click.option("--display-name", default="", help="the name artisans hear in the greeting (default: NAME)")
    @click.option("--greeting", type=click.Choice(sorted(staff_profile.GENDERS)), default="", show_default=True,
                  help="the greeting verb's form: f (kar rahi hoon), m (kar raha hoon), or '' for neutral phrasing")
    def create_user(name: str, role: str, password: str, display_name: str, greeting: str) -> None:
        """Make a staff account NAME."""
        services = app.extensions["hunar"]
        now = services.clock()
        with services.db.session() as session:
            try:
                user = accounts.create_user(session, name, password, role, now=now, actor="cli")
                staff_profile.set_profile(session, user, display_name, greeting, now=now, actor="cli")
            except accounts.AccountError as exc:
                raise click.ClickException(str(exc)) from None
            accounts.seed_canned(session, now)
        click.echo(f"{role} {name} created")

    @group.command("sweep")
    def sweep() -> None:
        """Flag conversations gone quiet mid-listing, and listings in review no submission flagged (cron, or the queue)."""
        from bot.jobs import sweep_stuck

        click.echo(f"{sweep_stuck(app.extensions['hunar'])} conversations flagged")

    app.cli.add_command(group)
