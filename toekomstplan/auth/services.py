"""Accounts: register, authenticate, confirm an address, reset a forgotten password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from .. import conditional, mail
from ..extensions import db
from ..models import LoginToken, Organisation, Plan, TokenPurpose, User, UserKind, UserSession
from ..passwords import hash_password, needs_rehash, verify_password
from ..tokens import digest, new_token
from ..urls import external_url


def find_by_login(login: str) -> User | None:
    """Find an account by e-mail address or username (case-insensitive)."""
    login = login.strip().lower()
    column = User.email if "@" in login else User.username
    return db.session.scalar(sa.select(User).where(sa.func.lower(column) == login))


def register_youth(
    name: str, login: str, password: str, locale: str | None, plan_title: str
) -> User | None:
    """Create a young person's account and plan; with an e-mail address, confirm it first.

    Return the account when it may log in straight away (a username), else None: a mail
    went out, a confirmation or a note to the address's owner.
    """
    login = login.strip()
    password_hash = hash_password(password)  # always, so both answers take as long
    existing = find_by_login(login)
    if "@" in login:
        email = login.lower()
        if existing is not None:
            _note_taken_address(email, existing.locale)
            return None
        user = _create(name, password_hash, locale, plan_title, email=email)
        send_confirmation(user)
        return None
    if existing is not None:
        raise UsernameTaken
    user = _create(name, password_hash, locale, plan_title, username=login)
    return user


class UsernameTaken(Exception):
    """A username is visible to its owner only; a taken one cannot be hidden from a newcomer."""


def _create(name, password_hash, locale, plan_title, *, email=None, username=None) -> User:
    user = User(
        kind=UserKind.YOUTH,
        name=name.strip(),
        email=email,
        username=username,
        password_hash=password_hash,
        locale=locale,
    )
    user.plan = Plan(cover_title=plan_title)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(login: str, password: str) -> User | None:
    """Return the account for these credentials, or None; same time for unknown logins."""
    user = find_by_login(login)
    # The hash is checked even for an unknown login, so both take the same time.
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def make_token(user: User, purpose: TokenPurpose, hours: int) -> str:
    """Create a one-time link token for `user`; only its hash is stored."""
    token = new_token()
    db.session.add(
        LoginToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=digest(token),
            expires_at=datetime.now(UTC) + timedelta(hours=hours),
        )
    )
    db.session.commit()
    return token


def find_token(token: str, purpose: TokenPurpose) -> LoginToken | None:
    """Return the live token record for `token`, or None if unknown, used or expired."""
    record = db.session.scalar(
        sa.select(LoginToken).where(
            LoginToken.token_hash == digest(token), LoginToken.purpose == purpose
        )
    )
    if record is None or record.used_at or record.expires_at < datetime.now(UTC):
        return None
    return record


def send_confirmation(user: User) -> None:
    """Mail `user` a link that confirms their e-mail address."""
    _mail_link(user, TokenPurpose.CONFIRM, _("Confirm your e-mail address"), "auth.confirm")


LINK_MAILS = {
    # purpose: (mail template, setting with the link's lifetime in hours)
    TokenPurpose.CONFIRM: ("confirm", "CONFIRM_TOKEN_HOURS"),
    TokenPurpose.RESET: ("reset", "RESET_TOKEN_HOURS"),
}


def _mail_link(user: User, purpose: TokenPurpose, subject: str, endpoint: str) -> None:
    """Mail `user` a one-time link to `endpoint` that works for its purpose's hours."""
    if not user.email:  # accounts without an address get no links
        return
    template, setting = LINK_MAILS[purpose]
    hours = current_app.config[setting]
    token = make_token(user, purpose, hours)
    mail.send(
        user.email,
        subject,
        template,
        locale=user.locale,
        name=user.name,
        url=external_url(endpoint, token=token),
        hours=hours,
        youth=user.is_youth,
    )


def use_token(record: LoginToken) -> bool:
    """Use a one-time link: True for the one request that claims it (a conditional update),
    False for a second tap or a link that expired meanwhile (nothing changed then)."""
    now = datetime.now(UTC)
    claimed = conditional.update_one(
        sa.update(LoginToken)
        .where(
            LoginToken.id == record.id,
            LoginToken.used_at.is_(None),
            LoginToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not claimed:
        db.session.rollback()
    return claimed


def confirm_email(record: LoginToken) -> User | None:
    """Use a confirmation token: the address is now proven. None when it was used already."""
    if not use_token(record):
        return None
    record.user.email_confirmed = True
    db.session.commit()
    return record.user


def confirm_again(email: str) -> None:
    """Mail the confirmation link again if an unconfirmed account has this address."""
    user = find_by_login(email) if "@" in email else None
    if user is None or user.email_confirmed:
        make_token_time_equaliser()
        return
    send_confirmation(user)


def add_email(user: User, email: str) -> None:
    """Add an address to an account with a username, to be confirmed by a mailed link.

    An address that belongs to another account is left alone: its owner gets a note, and
    the page says the same either way, as registering does.
    """
    email = email.strip().lower()
    existing = find_by_login(email)
    if existing is None or existing.id == user.id:  # new, or a mail again for a typo fixed
        user.email, user.email_confirmed = email, False
        # A link sent to an earlier, mistyped address must not confirm this one.
        db.session.execute(
            sa.delete(LoginToken).where(
                LoginToken.user_id == user.id, LoginToken.purpose == TokenPurpose.CONFIRM
            )
        )
        try:
            db.session.commit()
        except sa.exc.IntegrityError:  # taken at this very moment by someone else
            db.session.rollback()
        else:
            send_confirmation(user)
            return
    _note_taken_address(email, existing.locale if existing else None)


def _note_taken_address(email: str, locale: str | None) -> None:
    """Tell the owner of `email` (in their `locale`) that someone else tried to use it."""
    mail.send(
        email,
        _("Someone tried to use your e-mail address"),
        "already_registered",
        locale=locale,
        reset_url=external_url("auth.forgot"),
    )


def request_reset(email: str) -> None:
    """Mail a reset link if an account has this address; say nothing either way.

    An address added to a username account must be confirmed first: a typo there must not
    hand a stranger the account.
    """
    user = find_by_login(email) if "@" in email else None
    if user is None or (user.username and not user.email_confirmed):
        make_token_time_equaliser()
        return
    _mail_link(user, TokenPurpose.RESET, _("Make a new password"), "auth.reset")


def make_token_time_equaliser() -> None:
    """Spend about the time a real reset takes, so timing reveals no account."""
    digest(new_token())
    db.session.rollback()


def reset_link(user: User) -> str:
    """Make a one-time reset link for an administrator to hand over (no e-mail needed)."""
    token = make_token(user, TokenPurpose.RESET, current_app.config["ADMIN_RESET_TOKEN_HOURS"])
    return external_url("auth.reset", token=token)


def reset_password(record: LoginToken, password: str) -> User | None:
    """Set a new password from a reset link and end every session of that account.

    None when another request used the link first: then nothing changes.
    """
    password_hash = hash_password(password)  # before the claim: the claim's lock is short
    if not use_token(record):
        return None
    user = record.user
    user.password_hash = password_hash
    if user.email:
        user.email_confirmed = True  # the link reached the mailbox
    db.session.execute(
        sa.delete(LoginToken).where(
            LoginToken.user_id == user.id,
            LoginToken.purpose == TokenPurpose.RESET,
            LoginToken.id != record.id,
        )
    )
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
    db.session.commit()
    return user


def sso_organisations() -> list[Organisation]:
    """The organisations whose members may log in through their own provider."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.oidc_issuer.is_not(None), Organisation.oidc_secret.is_not(None))
            .order_by(Organisation.name)
        )
    )
