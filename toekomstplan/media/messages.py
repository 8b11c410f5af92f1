"""What a refused upload says to the young person."""

from flask import current_app, jsonify
from flask_babel import gettext as _

from .refusals import Refusal


def refusal_message(reason: Refusal, filename: str | None = None) -> str:
    """Say what is wrong and what is allowed, in plain words."""
    mb = current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
    messages = {
        Refusal.EMPTY: _("This file is empty. Choose another photo or video."),
        Refusal.UNSUPPORTED: _(
            "We cannot show this file. Choose a photo or a video from your phone or computer."
        ),
        Refusal.DAMAGED: _("This file is broken or did not arrive whole. Try again."),
        Refusal.TOO_MANY_PIXELS: _(
            "This photo is too large to show. Choose a smaller photo, or send it from your phone."
        ),
        Refusal.TOO_BIG: _("This file is too big: at most %(mb)d MB.", mb=mb),
        Refusal.QUOTA: _("Your plan is full. Delete a photo or video first."),
        Refusal.VIDEO_FAILED: _("This video did not work. Try again or choose another video."),
        Refusal.BUSY: _("Wait a moment, your other files are still being processed."),
        Refusal.NO_SPACE: _("There is no room to save this right now. Try again later."),
    }
    message = messages[reason]
    return f"{filename}: {message}" if filename else message


def refused_json(message: str, reason: Refusal | None = None):
    """The upload script's answer to a refusal: 429 with Retry-After for "wait a moment" (the
    script sends the file again then), 507 for a full disk, else 400."""
    if reason == Refusal.BUSY:
        return jsonify(error=message), 429, {"Retry-After": "3"}
    return jsonify(error=message), 507 if reason == Refusal.NO_SPACE else 400
