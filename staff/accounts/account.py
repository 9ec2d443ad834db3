"""Your account: who you are signed in as, changing your own password, and new recovery
codes. Both changes ask for the current password first (portal.services.accounts.staff_accounts)."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user

from portal import auth
from portal.services.accounts import auth as auth_service
from portal.services.accounts import staff_accounts
from portal.services.common.labels import StaffRole
from staff import bp
from staff.accounts.forms import ChangePasswordForm, RecoveryCodesForm
from staff.changes import carry_out


def _page(password_form=None, codes_form=None):
    # ``form`` is the one that failed: the layout puts its errors in the summary.
    return render_template(
        "staff/account.html", form=password_form or codes_form,
        user=current_user, role=StaffRole(current_user.role).words,
        codes_left=auth_service.recovery_codes_left(current_user),
        password_form=password_form or ChangePasswordForm(formdata=None),
        codes_form=codes_form or RecoveryCodesForm(formdata=None))


@bp.get("/account")
@auth.signed_in_required
def account():
    return _page()


@bp.post("/account/password")
@auth.signed_in_required
def account_password():
    form = ChangePasswordForm()
    if carry_out(form, lambda f: staff_accounts.change_own_password(current_user, f.current_password.data,
                                                                    f.password.data)).done:
        session.clear()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("staff.sign_in"))
    return _page(password_form=form)


@bp.post("/account/recovery-codes")
@auth.signed_in_required
def account_recovery_codes():
    form = RecoveryCodesForm()
    codes = carry_out(form, lambda f: staff_accounts.new_recovery_codes(current_user, f.current_password.data))
    if codes.done:
        # Shown once, in this response, and kept nowhere in readable form.
        return render_template("staff/recovery_codes.html", codes=codes.result,
                               next_url=url_for("staff.account"), renewed=True)
    return _page(codes_form=form)
