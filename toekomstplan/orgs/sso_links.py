"""Links between an account and a person at an organisation's OpenID provider.

Keyed on the provider's (issuer, subject), never on an e-mail address alone. A member makes
the link themself, logged in, once the provider has vouched for the same, verified, address;
a young person's account is never linked. Logging in through a link needs an active place
in the organisation whose button was used.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ExternalLogin, Membership, Organisation, User
from .services import audit
from .sso import SsoProblem


def linked_user(org: Organisation, claims: dict) -> User:
    """The member an (issuer, subject) is linked to, with an active place in `org`."""
    link = db.session.scalar(
        sa.select(ExternalLogin).where(
            ExternalLogin.issuer == org.oidc_issuer,
            ExternalLogin.subject == str(claims["sub"]),
        )
    )
    if link is None:
        raise SsoProblem("not_linked")
    user = db.session.get(User, link.user_id)
    place = user and db.session.scalar(
        sa.select(Membership).where(
            Membership.organisation_id == org.id,
            Membership.user_id == user.id,
            Membership.active.is_(True),
        )
    )
    if user is None or user.is_youth or place is None:
        raise SsoProblem("not_member")
    audit(org.id, "sso_login", actor_id=user.id, subject_id=user.id)
    db.session.commit()
    return user


def link_account(org: Organisation, claims: dict, user: User, place: Membership | None) -> None:
    """Link the logged-in member to their person at the provider, once."""
    if place is None or user.is_youth:
        raise SsoProblem("not_member")
    email = str(claims.get("email") or "").lower()
    if claims.get("email_verified") is not True or email != (user.email or "").lower():
        raise SsoProblem("email_differs")
    issuer, subject = org.oidc_issuer or "", str(claims["sub"])
    taken = db.session.scalar(
        sa.select(ExternalLogin.user_id).where(
            ExternalLogin.issuer == issuer, ExternalLogin.subject == subject
        )
    )
    if taken is not None and taken != user.id:
        raise SsoProblem("linked_elsewhere")
    if taken is None:
        db.session.add(
            ExternalLogin(organisation_id=org.id, user_id=user.id, issuer=issuer, subject=subject)
        )
        audit(org.id, "sso_linked", actor_id=user.id, subject_id=user.id)
    try:
        db.session.commit()
    except IntegrityError as error:  # linked by another request at the same moment
        db.session.rollback()
        raise SsoProblem("linked_elsewhere") from error
