"""Sending e-mail: SMTP when configured, otherwise the log and `instance/outbox/`."""

import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from .text import clean_line


class NotSent(Exception):
    """The mail could not be sent (the mail server refused or could not be reached)."""


def send(to: str, subject: str, template: str, locale: str | None = None, **context) -> None:
    """Render `template` (a plain-text mail under templates/mail/) and send it to `to`.

    Raise NotSent when it cannot go: a caller that made something for this mail (an invite)
    rolls it back, so no half a record stays. Header values are one clean line each.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"mail/{template}.txt", **context)
        subject = clean_line(str(subject), 200)
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = clean_line(to, 254)
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="toekomstplan")
    msg.set_content(body)
    try:
        if current_app.config.get("MAIL_SERVER"):
            _send_smtp(msg)
        else:
            _write_outbox(msg)
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.error("Mail to %s not sent: %s", msg["To"], error)
        raise NotSent(str(error)) from error


def _send_smtp(msg: EmailMessage) -> None:
    cfg = current_app.config
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(msg)


def _write_outbox(msg: EmailMessage) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}.eml"
    (outbox / name).write_bytes(bytes(msg))
    current_app.logger.info(
        "Mail to %s written to %s:\n%s", msg["To"], outbox / name, msg.get_content()
    )


def forget(needles: list[str]) -> None:
    """Delete the development outbox's mails that mention any of `needles` (an account
    being deleted). Sent mail is in the receivers' hands; the outbox is ours."""
    if current_app.config.get("MAIL_SERVER"):
        return
    wanted = [n.encode() for n in needles if n]
    for path in Path(current_app.config["MAIL_OUTBOX"]).glob("*.eml"):
        data = path.read_bytes()
        if any(n in data for n in wanted):
            path.unlink(missing_ok=True)


def outbox_messages(outbox: str | Path) -> list[EmailMessage]:
    """Return the mails in the development outbox, oldest first."""
    from email import policy
    from email.parser import BytesParser

    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(Path(outbox).glob("*.eml"))]
