"""Forms of the KB editor (CSRF-protected by Flask-WTF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from kb.validation import MAX_BODY, MAX_SOURCE, MAX_TITLE


def _lf(text: str | None) -> str | None:
    """A browser sends a textarea's line breaks as CRLF but counts each as one character for maxlength: without
    this, a text the browser allowed (19,800 characters in 1,800 lines) was refused as over 20,000 characters."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


class ArticleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Length(max=MAX_TITLE)])
    body = TextAreaField(_l("Text (Markdown)"), validators=[Length(max=MAX_BODY)], filters=[_lf])
    source_url = StringField(_l("Source URL"), validators=[Optional(), Length(max=MAX_SOURCE)])
    department = SelectField(_l("Owner department"), validate_choice=False)
    save_draft = SubmitField(_l("Save draft"))
    publish = SubmitField(_l("Publish"))


class KbActionForm(FlaskForm):
    """A bare CSRF-protected form for buttons (create/remove override, discard, roll back)."""

    submit = SubmitField()


class ImportForm(FlaskForm):
    file = FileField(_l("File (YAML or CSV)"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))
