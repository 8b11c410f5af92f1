"""The pages of a password set with a worker's help: the worker's code, the young person's form."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import workers
from ..extensions import limiter, login_limit
from . import helped
from .forms import HelpedResetForm
from .views import _forgot_page, _login_key, bp

# Help that is given this often in an hour is not help any more.
CODES_PER_HOUR = "10 per hour"


@bp.route("/plans/<int:plan_id>/password-help", methods=["GET", "POST"])
@login_required
@limiter.limit(CODES_PER_HOUR, methods=["POST"], key_func=lambda: f"help|{current_user.id}")
def password_help(plan_id: int):
    plan = workers.get_plan_to_help(plan_id)
    if request.method == "POST":  # the CSRF token is checked for every form (extensions.csrf)
        code = helped.make_code(plan, current_user)
        html = render_template("auth/helped_code.html", plan=plan, code=code)
        return html, 200, {"Cache-Control": "no-store"}
    return render_template("auth/helped_start.html", plan=plan)


@bp.post("/forgot/with-help")
@limiter.limit(
    login_limit,
    key_func=lambda: "helped|" + _login_key("help-login"),
    deduct_when=lambda response: response.status_code == 400,
)
def forgot_with_help():
    form = HelpedResetForm(prefix="help")
    if form.validate_on_submit():
        user = helped.reset_password(form.login.data, form.code.data, form.password.data)
        if user is not None:
            session.clear()
            flash(_("Your new password is saved. Log in with it."), "success")
            return redirect(url_for("auth.login"))
        form.code.errors.append(
            _(
                "This username and code do not belong together, or the code is older than "
                "15 minutes. Check every letter, or ask for a new code."
            )
        )
    return _forgot_page(help_form=form, status=400)
