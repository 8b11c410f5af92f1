"""My account: language, password, and deleting everything."""

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
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required

from ..auth import services, sessions
from ..auth.forms import ChangePasswordForm, DeleteAccountForm
from ..auth.views import safe_next
from ..passwords import verify_password

bp = Blueprint("account", __name__)


@bp.get("/account")
@login_required
def settings():
    return render_template("account/settings.html", form=ChangePasswordForm())


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
    return render_template("account/settings.html", form=form), 400


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = DeleteAccountForm()
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


@bp.post("/language")
def language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if current_user.is_authenticated:
            services.set_locale(current_user, lang)
        refresh()
    return redirect(safe_next(request.form.get("next")) or url_for("plan.start"))
