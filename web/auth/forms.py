from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class NewPasswordForm(FlaskForm):
    # InputRequired, not DataRequired: a password of spaces reaches the password rule, which says what is wrong
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=200)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[InputRequired(), EqualTo("password")])
    submit = SubmitField(_l("Change password"))
