from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tinget.text import clean


def _reference(value):
    """A typed reference without control characters or surrounding blanks: the confirmation page repeats it
    in hidden fields, where a browser would turn a NUL into U+FFFD and the confirmation would find nothing."""
    return clean(value).strip() if isinstance(value, str) else value


class DeleteForm(FlaskForm):
    """Find what to delete, by conversation id or by case number (one of the two): nothing is deleted yet,
    the page shows what would be deleted and asks for a confirmation (:class:`ConfirmDeleteForm`)."""

    conversation = StringField(_l("Conversation ID"), validators=[Optional(), Length(max=64)], filters=[_reference])
    # a number, or as passed on: an e-mail's subject "… (sak 12)", a console link (web.services.deletion.case_number)
    case = StringField(_l("Case number"), validators=[Optional(), Length(max=200)], filters=[_reference])
    submit = SubmitField(_l("Show what will be deleted"))


class ConfirmDeleteForm(FlaskForm):
    """The confirmation: the same reference the admin typed, and the conversation the preview showed (a
    case number freed by a deletion can be given to a new case; then nothing is deleted)."""

    conversation = HiddenField(validators=[Optional(), Length(max=64)], filters=[_reference])
    case = HiddenField(validators=[Optional(), Length(max=200)], filters=[_reference])
    shown = HiddenField(validators=[Length(min=1, max=64)])
    confirm = HiddenField(default="1")
    submit = SubmitField(_l("Delete permanently"))


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (departments of a user, topics answered by mail)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
