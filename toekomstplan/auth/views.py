"""Register, log in and out, confirm an address, reset a forgotten password."""

import hashlib
import hmac

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from ..access import organisations as org_access
from ..extensions import limiter, login_limit
from ..models import TokenPurpose
from ..urls import safe_next
from . import services, sessions, spare_key, two_step
from .entry import finish_login, home_url
from .forms import (
    ForgotForm,
    HelpedResetForm,
    LoginForm,
    NewPasswordForm,
    RegisterForm,
    SpareKeyForm,
    TwoStepCodeForm,
)

bp = Blueprint("auth", __name__)

# What a support worker may open before turning on two-step login, when that is a must.
ALLOWED_BEFORE_TWO_STEP = {
    "account.setup_two_step",
    "account.enable_two_step",
    "auth.logout",
    "help.page",
    "i18n.switch_language",
    "static",
}
# Wrong codes from all addresses together: someone who knows the password and has many
# addresses still gets only this many guesses at a 6-digit code.
TWO_STEP_ACCOUNT_LIMIT = "30 per day"


def _login_key(field: str = "login") -> str:
    """The throttle's key for a log-in: the client and a keyed hash of the login typed, so
    the throttle store (Redis, shared by every host) never holds an e-mail address."""
    login = (request.form.get(field) or "").strip().lower()[:254]
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, login.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{get_remote_address()}|{digest}"


def _pending_user_id() -> str:
    return str((session.get("two_step") or {}).get("user_id", ""))


def _wrong_code(response) -> bool:
    return response.status_code == 401


@bp.before_app_request
def require_two_step():
    """Send a support worker to the set-up page until two-step login is on, if required."""
    if request.endpoint not in ALLOWED_BEFORE_TWO_STEP and two_step.must_enrol(current_user):
        return redirect(url_for("account.setup_two_step"))
    return None


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_url())
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_youth(
                form.name.data,
                form.login.data,
                form.password.data,
                locale=str(get_locale()),
                plan_title=_("My future plan"),
            )
        except services.UsernameTaken:
            form.login.errors.append(_("This username is taken. Choose another one."))
        else:
            if user is not None:  # a username: no mail can reach them, so a spare key
                key = spare_key.give_new(user)
                sessions.start(user)
                # A start link from a worker sends the new account back to it.
                then = safe_next(request.args.get("next")) or home_url()
                return spare_key.page(key, then, welcome=True)
            return render_template("auth/check_mail.html", email=form.login.data.strip())
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    login_limit,
    key_func=_login_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 401,
)
def login():
    if current_user.is_authenticated:
        return redirect(home_url())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            form.password.errors.append(
                _("This e-mail address or username and password do not match.")
            )
            return _login_page(form, 401)
        duty = org_access.sso_required_by(user)
        if duty is not None and not duty[1]:  # not linked yet: to the link page, once more
            return finish_login(user, url_for("orgs.sso_link", org_id=duty[0].id))
        if duty is not None:
            org = duty[0]
            form.login.errors.append(
                _(
                    "%(org)s wants you to log in through %(org)s. Use the button below.",
                    org=org.name,
                )
            )
            return _login_page(form, 403)
        if user.email and not user.email_confirmed and not user.username:
            services.send_confirmation(user)
            return render_template("auth/check_mail.html", email=user.email)
        return finish_login(user, safe_next(request.args.get("next")))
    return _login_page(form)


def _login_page(form: LoginForm, status: int = 200):
    return render_template("auth/login.html", form=form, sso_orgs=services.sso_organisations()), (
        status
    )


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(
    login_limit,
    key_func=lambda: f"{get_remote_address()}|two-step|{_pending_user_id()}",
    methods=["POST"],
    deduct_when=_wrong_code,
)
@limiter.limit(
    TWO_STEP_ACCOUNT_LIMIT,
    key_func=lambda: f"two-step|{_pending_user_id()}",
    methods=["POST"],
    deduct_when=_wrong_code,
)
def second_step():
    if current_user.is_authenticated:
        return redirect(home_url())
    pending = sessions.pending()
    if pending is None:
        flash(_("This took too long. Please log in again."), "error")
        return redirect(url_for("auth.login"))
    form = TwoStepCodeForm()
    recovery = request.args.get("recovery") == "1"
    if form.validate_on_submit():
        kind = two_step.use_code(pending.user, form.code.data)
        if kind is None:
            form.code.errors.append(
                _("This code is not right. Wait for a new code in the app and try again.")
            )
            return render_template("auth/two_step.html", form=form, recovery=recovery), 401
        sessions.start(pending.user)
        if kind == two_step.CodeKind.RECOVERY:
            left = two_step.recovery_codes_left(pending.user)
            flash(
                ngettext(
                    "You used a recovery code. You have %(num)d left.",
                    "You used a recovery code. You have %(num)d left.",
                    left,
                ),
                "success",
            )
        return redirect(pending.target or home_url())
    return render_template("auth/two_step.html", form=form, recovery=recovery)


@bp.post("/logout")
@login_required
def logout():
    sessions.end()
    flash(_("You are logged out. See you soon!"), "success")
    response = redirect(url_for("auth.login"))
    # A shared phone or group-home computer keeps nothing of the plan after logout.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/confirm/<token>")
def confirm(token: str):
    record = services.find_token(token, TokenPurpose.CONFIRM)
    if record is None:
        return render_template("auth/link_expired.html"), 404
    user = services.confirm_email(record)
    if user is None:  # a second tap on the link, or another request was first
        return render_template("auth/link_expired.html"), 404
    # Registered from a worker's start link in this browser: back to it.
    response = finish_login(user, safe_next(session.pop("after_confirm", None)))
    flash(_("Your e-mail address is confirmed. Welcome!"), "success")
    return response


@bp.post("/register/again")
@limiter.limit("10 per hour")
def send_again():
    """Send the confirmation mail again; the answer is the same whether or not it went."""
    form = ForgotForm()
    email = (form.email.data or "").strip() if form.validate_on_submit() else ""
    if email:
        services.confirm_again(email)
    return render_template("auth/check_mail.html", email=email, sent_again=bool(email))


def _forgot_page(form=None, key_form=None, help_form=None, status: int = 200):
    forms = {
        "form": form or ForgotForm(),
        "key_form": key_form or SpareKeyForm(prefix="key"),
        "help_form": help_form or HelpedResetForm(prefix="help"),
    }
    return render_template("auth/forgot.html", **forms), status


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        services.request_reset(form.email.data.strip())
        return render_template("auth/check_mail.html", email=form.email.data.strip(), reset=True)
    return _forgot_page(form=form, status=400 if form.errors else 200)


@bp.post("/forgot/spare-key")
@limiter.limit("10 per hour")
def forgot_with_key():
    form = SpareKeyForm(prefix="key")
    if form.validate_on_submit():
        done = spare_key.reset_password(form.login.data, form.key.data, form.password.data)
        if done is not None:
            user, key = done
            session.clear()
            # Two-step login still asks its code: the key proves the paper, not the phone.
            return spare_key.page(key, finish_login(user).location)
        form.key.errors.append(
            _("This username and spare key do not belong together. Check every letter.")
        )
    return _forgot_page(key_form=form, status=400)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    record = services.find_token(token, TokenPurpose.RESET)
    if record is None:
        return render_template("auth/link_expired.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(record, form.password.data)
        if user is None:  # the same link used by another request meanwhile
            return render_template("auth/link_expired.html"), 404
        session.clear()
        duty = org_access.sso_required_by(user)
        if duty is not None and duty[1]:  # the organisation's log-in, not a password
            flash(_("Your new password is saved."), "success")
            flash(
                _(
                    "%(org)s wants you to log in through %(org)s. Use the button below.",
                    org=duty[0].name,
                ),
                "success",
            )
            return redirect(url_for("auth.login"))
        # A reset link proves the mailbox, not the phone: two-step login still asks the code.
        response = finish_login(user)
        flash(_("Your new password is saved."), "success")
        return response
    return render_template("auth/reset.html", form=form)


from . import helped_views  # noqa: E402, F401  (a password set with a worker's help, on this blueprint)
