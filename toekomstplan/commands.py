"""Command-line tools for the operator (who runs the server) and developers."""

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from . import demo, mail
from .account import two_step
from .auth import services
from .extensions import db
from .media import consistency, moving
from .models import Organisation, User
from .orgs import admin as org_admin
from .orgs import services as orgs
from .storage import storage

users = AppGroup("users", help="Manage accounts.")


def _account(login: str) -> User:
    user = services.find_by_login(login)
    if user is None:
        raise click.ClickException(f"No account with e-mail address or username {login!r}.")
    return user


@users.command("reset-link")
@click.argument("login")
def reset_link(login: str) -> None:
    """Print a one-time password reset link for LOGIN (e-mail address or username)."""
    user = _account(login)
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        url = services.reset_link(user)
    hours = current_app.config["ADMIN_RESET_TOKEN_HOURS"]
    click.echo(f"One-time reset link for {user.name} (valid {hours} hours, works once):")
    click.echo(url)


@users.command("two-step-off")
@click.argument("login")
def two_step_off(login: str) -> None:
    """Turn off two-step login for LOGIN (lost phone and lost recovery codes)."""
    user = _account(login)
    two_step.disable(user)
    click.echo(f"Two-step login is off for {user.name}. Ask them to turn it on again.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create the demo young person and support worker once, and print their log-ins."""
    logins = demo.ensure()
    if logins is None:
        click.echo(f"Demo accounts exist; their log-ins are in {demo.logins_path()}.")
        return
    click.echo("Demo accounts created (also saved in instance/demo-logins.txt):")
    click.echo(logins)


media_group = AppGroup("media", help="Stored photos and videos.")


@media_group.command("sweep")
def media_sweep() -> None:
    """Delete what crashes left in the work folder (as every web worker does when it starts)."""
    for name in storage().sweep():
        click.echo(f"left by a crash, deleted: {name}")


@media_group.command("check")
@click.option(
    "--fix",
    is_flag=True,
    help="Delete orphaned files, rows whose files are gone "
    "and what a crash left in the work folder.",
)
def media_check(fix: bool) -> None:
    """List stored files without a row, rows without a file, and work a crash left."""
    report = consistency.check(fix=fix)
    for key in report.orphan_files:
        click.echo(f"orphaned file: {key}" + (" (deleted)" if fix else ""))
    for key in report.missing_files:
        click.echo(f"row without file: {key}" + (" (media item deleted)" if fix else ""))
    for path in report.leftover_work:
        click.echo(f"left by a crash: {path}" + (" (deleted)" if fix else ""))
    if report.all_match:
        click.echo("All stored files and rows match.")
    elif not fix:
        raise click.exceptions.Exit(1)


@media_group.command("move-storage")
@click.option("--to", "target_url", required=True, help="The new STORAGE_URL, e.g. s3://bucket.")
def media_move_storage(target_url: str) -> None:
    """Copy every stored file into another storage and check every checksum there."""
    report = moving.move(target_url, progress=click.echo)
    click.echo(
        f"{report.copied} files copied, {report.skipped} already there, {len(report.bad)} wrong."
    )
    if not report.ok:
        raise click.exceptions.Exit(1)
    click.echo(f"Every checksum matches. Set STORAGE_URL={target_url} and restart.")


orgs_group = AppGroup("orgs", help="Organisations (the operator's side).")


@orgs_group.command("create")
@click.argument("name")
@click.option("--admin", "admin_email", required=True, help="E-mail address of the first admin.")
def orgs_create(name: str, admin_email: str) -> None:
    """Create the organisation NAME and mail its first admin a one-time invitation."""
    problems = {
        "no_name": "Give the organisation a name.",
        "taken": f"An organisation called {name!r} exists already.",
        "no_email": f"{admin_email!r} is not an e-mail address.",
    }
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        try:
            org, link = orgs.create_organisation(name, admin_email)
        except orgs.OrgProblem as problem:
            raise click.ClickException(problems[problem.reason]) from problem
        except mail.NotSent as error:
            raise click.ClickException(f"The invitation could not be mailed: {error}") from error
    days = orgs.INVITE_DAYS
    click.echo(f"Created {org.name}. Invitation mailed to {admin_email.strip().lower()}.")
    click.echo(f"The link (works once, for {days} days), should the mail not arrive:")
    click.echo(link)


@orgs_group.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do it without asking.")
def orgs_delete(name: str, yes: bool) -> None:
    """Delete the organisation NAME: every member's place ends, each young person who shared
    through it is told, and every plan stays."""
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if org is None:
        raise click.ClickException(f"There is no organisation called {name!r}.")
    if not yes:
        click.confirm(
            f"Delete {org.name}, its teams and {len(org.memberships)} places?", abort=True
        )
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        plans = org_admin.delete_organisation(org, None)
    click.echo(
        f"Deleted {name}. {plans} plan(s) were shared through it; the young people are told."
    )
