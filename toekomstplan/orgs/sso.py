"""Log in through the organisation: OpenID Connect against the organisation's own provider.

The authorisation code flow with PKCE (S256), a state and a nonce, each made fresh for one
attempt and kept in the signed session cookie, so every host sees them and an attempt is
used once (the session entry is taken out before anything is checked). The id token is
verified against the keys the provider publishes (its discovery document's `jwks_uri`):
signature, issuer, audience, expiry and nonce (joserfc; Authlib's client makes the requests).

A link between an account and the provider is keyed on (issuer, subject), never on e-mail
alone: the member makes it themself, logged in, by logging in at the provider once, and only
when the provider vouches for the same, verified, e-mail address. A young person's account is
never linked. The client secret is encrypted at rest with a key derived from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import time
from ipaddress import ip_address
from urllib.parse import urlsplit

import requests
import sqlalchemy as sa
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ..extensions import db
from ..models import ExternalLogin, Organisation, User
from ..urls import external_url
from .services import OrgProblem, audit

TIMEOUT_SECONDS = 5
METADATA_SECONDS = 300  # discovery documents and keys are public: each process keeps them
ATTEMPT_SECONDS = 600  # an attempt not finished within ten minutes is not taken
SCOPE = "openid email profile"
_metadata: dict[str, tuple[float, dict]] = {}


class SsoProblem(OrgProblem):
    """A log-in through the organisation that did not work; `reason` says why."""


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"toekomstplan oidc client secret"
    ).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(org: Organisation) -> str:
    try:
        return _fernet().decrypt((org.oidc_secret or "").encode()).decode()
    except InvalidToken as error:  # SECRET_KEY changed: the admin enters the secret again
        raise SsoProblem("secret_unreadable") from error


def check_issuer(issuer: str) -> str:
    """Return the issuer URL if it may be used: https, or http on loopback in tests."""
    issuer = issuer.strip()  # kept as entered: the id token's "iss" must match it exactly
    try:
        parts = urlsplit(issuer)
        host = parts.hostname
    except ValueError as error:  # "https://[x"
        raise SsoProblem("not_https") from error
    if parts.scheme == "https" and host:
        return issuer
    if parts.scheme == "http" and current_app.config["OIDC_ALLOW_HTTP_LOOPBACK"]:
        try:
            if ip_address(host or "").is_loopback:
                return issuer
        except ValueError:
            pass
    raise SsoProblem("not_https")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _get_json(url: str) -> dict:
    """A JSON object from the provider, or SsoProblem "unreachable" (never a 500)."""
    try:
        answer = requests.get(url, timeout=TIMEOUT_SECONDS)
        answer.raise_for_status()
        document = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise SsoProblem("unreachable") from error
    if not isinstance(document, dict):
        raise SsoProblem("unreachable")
    return document


def metadata(issuer: str) -> dict:
    """The provider's discovery document (kept a few minutes); its issuer must match."""
    cached = _metadata.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    document = _get_json(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
    endpoints = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if document.get("issuer") != issuer or "S256" not in document.get(
        "code_challenge_methods_supported", ["S256"]
    ):
        raise SsoProblem("unreachable")
    # Every address the flow will use follows the issuer's rule (https), also userinfo.
    for name in (*endpoints, "userinfo_endpoint"):
        value = document.get(name)
        if name in endpoints or value is not None:
            if not isinstance(value, str):
                raise SsoProblem("unreachable")
            check_issuer(value)
    _metadata[issuer] = (time.monotonic() + METADATA_SECONDS, document)
    return document


def configure(
    org: Organisation,
    issuer: str,
    client_id: str,
    secret: str,
    requires_sso: bool,
    actor: User,
) -> None:
    """Set the organisation's provider; an empty secret keeps the stored one. The provider
    must answer with its discovery document before anything is saved."""
    issuer = check_issuer(issuer)
    client_id = client_id.strip()
    # The stored secret goes only to the provider it was given for: another issuer or
    # client id needs the secret again, so a changed address cannot collect the old one.
    same_client = (issuer, client_id) == (org.oidc_issuer, org.oidc_client_id)
    if not client_id or not (secret.strip() or (org.oidc_secret and same_client)):
        raise SsoProblem("incomplete")
    if requires_sso and not _has_link(org, actor, issuer):
        raise SsoProblem("link_first")
    metadata(issuer)
    org.oidc_issuer, org.oidc_client_id = issuer, client_id[:255]
    if secret.strip():
        org.oidc_secret = encrypt_secret(secret.strip())
    org.requires_sso = requires_sso
    audit(org.id, "sso_configured", actor_id=actor.id, detail=f"required:{requires_sso}")
    db.session.commit()


def _has_link(org: Organisation, user: User, issuer: str) -> bool:
    return (
        db.session.scalar(
            sa.select(ExternalLogin.id).where(
                ExternalLogin.user_id == user.id, ExternalLogin.issuer == issuer
            )
        )
        is not None
    )


def form_origin(org: Organisation) -> str:
    """Where the link page's form leads: the provider's authorisation page."""
    try:
        return origin_of(metadata(org.oidc_issuer or "")["authorization_endpoint"])
    except SsoProblem:
        return origin_of(org.oidc_issuer or "")


def _client(org: Organisation) -> OAuth2Session:
    return OAuth2Session(
        org.oidc_client_id,
        decrypt_secret(org),
        scope=SCOPE,
        redirect_uri=external_url("orgs.sso_callback"),
        code_challenge_method="S256",
    )


def begin(org: Organisation, *, link: bool) -> str:
    """Start an attempt (a log-in, or linking the logged-in member); return the provider's
    URL to send the browser to."""
    if not org.has_sso:
        raise SsoProblem("not_set_up")
    document = metadata(org.oidc_issuer or "")
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    url, _ = _client(org).create_authorization_url(
        document["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
    )
    session["oidc"] = {
        "org": org.id,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "link": link,
        "until": time.time() + ATTEMPT_SECONDS,
    }
    return url


def finish(args) -> tuple[Organisation, dict, bool]:
    """Take the provider's answer: check the state, trade the code (with the PKCE verifier)
    for tokens, verify the id token. Return the organisation, the verified claims and
    whether this attempt links an account."""
    attempt = session.pop("oidc", None)  # one attempt, one answer
    if not attempt or attempt["until"] < time.time():
        raise SsoProblem("no_attempt")
    state = str(args.get("state", "")).encode()
    if not hmac.compare_digest(state, str(attempt["state"]).encode()):
        raise SsoProblem("no_attempt")
    org = db.session.get(Organisation, attempt["org"])
    if org is None or not org.has_sso:
        raise SsoProblem("not_set_up")
    if args.get("error") or not args.get("code"):
        raise SsoProblem("refused_there")
    issuer = org.oidc_issuer or ""
    document = metadata(issuer)
    try:
        token = _client(org).fetch_token(
            document["token_endpoint"],
            code=args["code"],
            code_verifier=attempt["verifier"],
            timeout=TIMEOUT_SECONDS,
        )
    except (requests.RequestException, ValueError, AuthlibBaseError) as error:
        # An answer like invalid_grant (a code used twice) is Authlib's OAuthError.
        raise SsoProblem("refused_there") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SsoProblem("bad_token")
    claims = _verify(id_token, org, document, attempt["nonce"])
    if "email" not in claims and document.get("userinfo_endpoint"):
        claims = {**_userinfo(document["userinfo_endpoint"], token, claims["sub"]), **claims}
    return org, claims, bool(attempt["link"])


def _userinfo(url: str, token: dict, subject: str) -> dict:
    """The address claims from the userinfo endpoint (where a provider that follows the core
    spec to the letter puts them), only when it speaks of the same subject."""
    try:
        answer = requests.get(
            url,
            headers={"Authorization": f"Bearer {token.get('access_token', '')}"},
            timeout=TIMEOUT_SECONDS,
        )
        answer.raise_for_status()
        info = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise SsoProblem("unreachable") from error
    if not isinstance(info, dict) or info.get("sub") != subject:
        raise SsoProblem("bad_token")
    return {key: info[key] for key in ("email", "email_verified", "name") if key in info}


def _verify(id_token: str, org: Organisation, document: dict, nonce: str) -> dict:
    try:
        keys = KeySet.import_key_set(_get_json(document["jwks_uri"]))  # type: ignore[arg-type]
    except (JoseError, ValueError, KeyError) as error:
        raise SsoProblem("bad_token") from error
    try:
        token = jwt.decode(id_token, keys, algorithms=["RS256", "ES256", "PS256"])
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": org.oidc_issuer or ""},
            aud={"essential": True, "value": org.oidc_client_id or ""},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise SsoProblem("bad_token") from error
    return token.claims
