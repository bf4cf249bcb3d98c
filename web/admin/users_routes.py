"""Users and departments of the admin's own municipality: list, create, edit, deactivate, reset password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from web.admin import admin_required, bp
from web.admin.forms import CheckboxesField
from web.labels import department_choices, password_refusal, ui_lang
from web.services import user_admin
from web.services import users as users_service
from web.services.user_admin import UserAdminError
from web.views import or_404, refusal_flashed, require_valid, valid_or_flash
from web.widget_strings import LANGUAGE_NAMES

LANG_NAMES = LANGUAGE_NAMES  # the languages' own names, one list for the widget and the admin pages


def error_message(code: str) -> str:
    if code.startswith("password_"):
        return password_refusal(code.removeprefix("password_"))
    return {
        "email_invalid": _("Enter a valid e-mail address."),
        "email_taken": _("Another user already has this e-mail address."),
        # another municipality's user on a shared installation: neither named nor said to exist
        "email_unavailable": _("This e-mail address cannot be used here. Use another address, for example the "
                               "person's work address at this municipality."),
        "role_invalid": _("Choose a role: caseworker or admin."),
        "self_deactivate": _("You cannot deactivate your own account."),
        "self_demote": _("You cannot remove the admin role from your own account."),
        "department_unknown": _("Choose departments of this municipality."),
        "key_invalid": _("The key must be 2–64 characters long, start with a letter and contain only a–z, 0–9 and _."),
        "key_taken": _("A department with this key exists already."),
        "name_missing": _("Enter a name."),
    }.get(code, code)


class UserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"))
    departments = CheckboxesField(_l("Departments"), validators=[Optional()])
    lang = SelectField(_l("Language"))
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Save"))


class PasswordForm(FlaskForm):
    # InputRequired, not DataRequired: a password of spaces reaches the password rule, which says what is wrong
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=200)])
    submit = SubmitField(_l("Set new password"))


class ActiveForm(FlaskForm):
    submit = SubmitField()


class DepartmentForm(FlaskForm):
    key = StringField(_l("Key"), validators=[Optional(), Length(max=64)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    lang = SelectField(_l("Language of the name"))
    submit = SubmitField(_l("Save"))


def _lang_choices():
    return [(code, LANG_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]]


def _user_form(user=None) -> UserForm:
    form = UserForm(obj=user) if user is not None else UserForm()
    form.role.choices = [("caseworker", _("Caseworker")), ("admin", _("Admin"))]
    form.lang.choices = _lang_choices()
    form.departments.choices = department_choices(user_admin.departments(current_user))
    if user is not None and not form.is_submitted():
        form.departments.data = [d.key for d in user.departments]
    return form


def _department_form() -> DepartmentForm:
    form = DepartmentForm()
    form.lang.choices = _lang_choices()
    if not form.is_submitted():
        form.lang.data = current_user.lang
    return form


def _user_or_404(user_id: int):
    return or_404(user_admin.get_user(current_user, user_id))


def _refused():
    """A change user_admin refuses (UserAdminError) inside the block is flashed in the admin's words."""
    return refusal_flashed(UserAdminError, lambda exc: error_message(exc.code))


# the field a refusal is about (marked aria-invalid on the form shown again)
_REFUSED_FIELD = {"email_invalid": "email", "email_taken": "email", "email_unavailable": "email",
                  "name_missing": "name", "role_invalid": "role", "department_unknown": "departments",
                  "self_demote": "role"}


def _user_refused(form: UserForm, code: str) -> None:
    """Flash why the user form was refused and mark the field; the form is shown again as typed, except a
    password (never sent back to the browser), so the admin is told to enter it again."""
    message = error_message(code)
    if form.password.data and not code.startswith("password_"):
        message = " ".join((message, _("Enter the password again.")))
    flash(message, "error")
    field = getattr(form, "password" if code.startswith("password_") else _REFUSED_FIELD.get(code, ""), None)
    if field is not None:
        field.render_kw = {**(field.render_kw or {}), "aria-invalid": "true"}


def _user_page(form: UserForm, user=None, **extra):
    """The user form (again): 400 after a POST that was incomplete or refused."""
    return render_template("admin/users/edit.html", form=form, user=user, **extra), (
        400 if form.is_submitted() else 200)


@bp.get("/users")
@admin_required
def users():
    return render_users()


def render_users(department_form: DepartmentForm | None = None, **extra):
    """The users page; ``extra`` carries a one-time reset link just made (see reset_link);
    ``department_form`` a new department refused, as the admin typed it."""
    return render_template("admin/users/index.html", users=user_admin.users(current_user),
                           departments=user_admin.departments(current_user), active_form=ActiveForm(),
                           department_form=department_form or _department_form(), lang=ui_lang(), **extra)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def user_new():
    form = _user_form()
    if valid_or_flash(form, _("Fill in name and e-mail.")):
        try:
            user = user_admin.create_user(current_user, email=form.email.data, name=form.name.data,
                                          role=form.role.data, department_keys=form.departments.data or [],
                                          password=form.password.data or "", lang=form.lang.data)
        except UserAdminError as exc:
            _user_refused(form, exc.code)
        else:
            flash(_("User %(name)s created.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return _user_page(form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int):
    user = _user_or_404(user_id)
    form = _user_form(user)
    if valid_or_flash(form, _("Fill in name and e-mail.")):
        try:
            user_admin.update_user(current_user, user, email=form.email.data, name=form.name.data,
                                   role=form.role.data, department_keys=form.departments.data or [],
                                   lang=form.lang.data)
        except UserAdminError as exc:
            _user_refused(form, exc.code)
        else:
            flash(_("Changes to %(name)s saved.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return _user_page(form, user, password_form=PasswordForm(), active_form=ActiveForm())


@bp.post("/users/<int:user_id>/active")
@admin_required
def user_active(user_id: int):
    user = _user_or_404(user_id)
    require_valid(ActiveForm())
    cases = user_admin.cases_to_release(user) if user.id != current_user.id else 0
    if cases and request.form.get("confirm") != "1":  # the button sits in every row of the users table
        return render_template("admin/users/deactivate.html", user=user, cases=cases, active_form=ActiveForm())
    with _refused():
        released = user_admin.set_active(current_user, user, not user.active)
        flash(_("%(name)s can log in again.", name=user.name) if user.active
              else _("%(name)s is deactivated and can no longer log in.", name=user.name), "success")
        if released:
            flash(ngettext("%(num)s open case assigned to them is back in its department's queue.",
                           "%(num)s open cases assigned to them are back in their departments' queues.",
                           released), "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
@admin_required
def user_password(user_id: int):
    user = _user_or_404(user_id)
    form = PasswordForm()
    if valid_or_flash(form, _("Enter a new password.")):
        with _refused():
            user_admin.reset_password(current_user, user, form.password.data)
            flash(_("New password set for %(name)s. Give it to them by a safe channel.", name=user.name), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/reset")
@admin_required
def reset_link(user_id: int):
    """Issue a one-time password reset link (shown once to the admin, who hands it to the user)."""
    user = _user_or_404(user_id)
    require_valid(FlaskForm())
    link = url_for("auth.reset_password", token=users_service.reset_token(user, current_user), _external=True)
    flash(_("Reset link for %(email)s made. It works once.", email=user.email), "success")
    return render_users(reset_link=link, reset_user=user)


@bp.post("/departments")
@admin_required
def department_new():
    form = _department_form()
    if valid_or_flash(form, _("Enter a name.")):
        try:
            dep = user_admin.create_department(current_user, key=form.key.data or "", name=form.name.data,
                                               lang=form.lang.data)
        except UserAdminError as exc:
            flash(error_message(exc.code), "error")
            getattr(form, "name" if exc.code == "name_missing" else "key").errors = [exc.code]
        else:
            flash(_("Department %(name)s created.", name=dep.name(form.lang.data)), "success")
            return redirect(url_for("admin.users"))
    # refused: the page again with the key and name as typed (they were lost with a redirect), the field marked
    for field in (form.key, form.name):
        if field.errors:
            field.render_kw = {**(field.render_kw or {}), "aria-invalid": "true"}
    return render_users(department_form=form), 400


@bp.post("/departments/<int:department_id>")
@admin_required
def department_rename(department_id: int):
    dep = or_404(user_admin.get_department(current_user, department_id))
    form = _department_form()
    if valid_or_flash(form, _("Enter a name.")):
        with _refused():
            user_admin.rename_department(current_user, dep, name=form.name.data, lang=form.lang.data)
            flash(_("Department renamed."), "success")
    return redirect(url_for("admin.users"))
