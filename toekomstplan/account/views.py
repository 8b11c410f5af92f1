"""My account: password, notifications, two-step login, my data, and deleting everything."""

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth import services as auth_services
from ..auth import sessions, spare_key
from ..auth import two_step as login_codes
from ..export import render as pdf_render
from ..extensions import limiter, login_limit
from ..passwords import verify_password
from . import data_export, services, two_step
from .forms import (
    AddEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    SpareKeyForm,
    TwoStepOffForm,
    TwoStepSetupForm,
)

bp = Blueprint("account", __name__)


def _settings_page(form=None, off_form=None, key_form=None, email_form=None, status: int = 200):
    user = current_user
    return render_template(
        "account/settings.html",
        form=form or ChangePasswordForm(),
        off_form=off_form or TwoStepOffForm(prefix="off"),
        key_form=key_form or SpareKeyForm(prefix="key"),
        email_form=email_form or AddEmailForm(prefix="email"),
        codes_left=login_codes.recovery_codes_left(user) if user.has_two_step else 0,
        two_step_required=login_codes.is_required(user),
    ), status


@bp.get("/account")
@login_required
def settings():
    return _settings_page()


@bp.post("/account/notifications")
@login_required
def notifications():
    services.set_notifications(
        current_user,
        by_mail=request.form.get("by_mail") == "y",
        daily=request.form.get("daily") == "y" and not current_user.is_youth,
    )
    flash(_("Saved."), "success")
    return redirect(url_for("account.settings") + "#notifications")


@bp.post("/account/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.current.data):
            services.change_password(current_user, form.password.data)
            flash(_("Your new password is saved. You are logged out on other devices."), "success")
            return redirect(url_for("account.settings"))
        form.current.errors.append(_("This is not your password now."))
    return _settings_page(form=form, status=400)


@bp.post("/account/spare-key")
@login_required
@limiter.limit(login_limit, key_func=lambda: f"spare-key|{current_user.id}")
def new_spare_key():
    form = SpareKeyForm(prefix="key")
    if not current_user.username:
        return redirect(url_for("account.settings"))  # with only an address, a link does it
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            key = spare_key.give_new(current_user)
            return spare_key.page(key, url_for("account.settings"))
        form.password.errors.append(_("This is not your password now."))
    return _settings_page(key_form=form, status=400)


@bp.post("/account/email")
@login_required
@limiter.limit("10 per hour")
def add_email():
    form = AddEmailForm(prefix="email")
    if current_user.email_confirmed or not current_user.username:
        return redirect(url_for("account.settings"))  # an address that is proven stays
    if form.validate_on_submit():
        auth_services.add_email(current_user, form.email.data)
        return render_template("auth/check_mail.html", email=form.email.data.strip(), added=True)
    return _settings_page(email_form=form, status=400)


def _setup_page(form, status: int = 200):
    # The key waits in the signed session cookie until a code confirms it: nothing is stored
    # for a set-up that is never finished, and a reload shows the same QR code.
    secret = session.setdefault("two_step_setup", two_step.new_secret())
    return render_template(
        "account/two_step.html",
        form=form,
        setup=two_step.enrolment(current_user, secret),
        required=login_codes.is_required(current_user),
    ), status


@bp.get("/account/two-step")
@login_required
def setup_two_step():
    if current_user.has_two_step:
        return redirect(url_for("account.settings"))
    return _setup_page(TwoStepSetupForm())


@bp.post("/account/two-step")
@login_required
def enable_two_step():
    secret = session.get("two_step_setup")
    if current_user.has_two_step or secret is None:
        return redirect(url_for("account.settings"))
    form = TwoStepSetupForm()
    if form.validate_on_submit():
        codes = two_step.enable(current_user, secret, form.code.data)
        if codes is not None:
            session.pop("two_step_setup")
            return render_template("account/recovery_codes.html", codes=codes)
        form.code.errors.append(
            _("This code is not right. Check that the time on your phone is right and try again.")
        )
    return _setup_page(form, status=400)


def _turn_off_two_step(form: TwoStepOffForm) -> bool:
    """Turn two-step login off if the form proves it is the owner; else say what is wrong."""
    if not verify_password(current_user.password_hash, form.password.data):
        form.password.errors.append(_("This is not your password."))
    elif login_codes.use_code(current_user, form.code.data) is None:
        form.code.errors.append(_("This code is not right. Try the new code in the app."))
    else:
        two_step.disable(current_user)
        return True
    return False


@bp.post("/account/two-step/off")
@limiter.limit(
    login_limit,
    key_func=lambda: f"two-step-off|{current_user.get_id()}",
    deduct_when=lambda response: response.status_code == 400,
)
@login_required
def disable_two_step():
    if not current_user.has_two_step:
        return redirect(url_for("account.settings"))
    if login_codes.is_required(current_user):
        flash(_("Your organisation asks support workers to keep two-step login on."), "error")
        return redirect(url_for("account.settings"))
    form = TwoStepOffForm(prefix="off")
    if form.validate_on_submit() and _turn_off_two_step(form):
        flash(_("Two-step login is off."), "success")
        return redirect(url_for("account.settings"))
    return _settings_page(off_form=form, status=400)


@bp.get("/account/my-data.zip")
@login_required
def download_data():
    try:
        archive = data_export.export_zip(current_user._get_current_object())
    except pdf_render.Busy:
        flash(_("Many people are making a PDF right now. Try again in a minute."), "error")
        return redirect(url_for("account.settings") + "#my-data")
    # The archive has no name on disk: it is gone as soon as the download ends or breaks off.
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name="toekomstplan.zip",
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = DeleteAccountForm.for_user(current_user)
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            user = current_user._get_current_object()
            sessions.end()
            services.delete_account(user)
            return redirect(url_for("account.deleted"))
        form.password.errors.append(_("This is not your password."))
    return render_template("account/delete.html", form=form)


@bp.get("/account/deleted")
def deleted():
    return render_template("account/deleted.html")
