from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tinget.text import clean

# filters=[clean]: the text without control characters before DataRequired, so that one of control characters
# only is empty and asked for again (the column type, tinget.db, would store it as an empty text)


REPLY_MAX_CHARS = 10000
NOTE_MAX_CHARS = 5000


class ReplyForm(FlaskForm):
    text = TextAreaField(_l("Reply to the resident"), validators=[DataRequired(), Length(max=REPLY_MAX_CHARS)],
                         filters=[clean])
    draft_id = HiddenField(validators=[Optional()])
    # the id of the last resident or caseworker message on the page the reply was written on (routes._unseen)
    seen = HiddenField(validators=[Optional()])
    submit = SubmitField(_l("Send reply"))


class ActionForm(FlaskForm):
    """A bare CSRF-protected form for buttons (close, show original, accept)."""

    submit = SubmitField()


class ReassignForm(FlaskForm):
    department = SelectField(_l("Department"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)], filters=[clean])
    submit = SubmitField(_l("Reassign"))


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Internal note"), validators=[DataRequired(), Length(max=NOTE_MAX_CHARS)],
                         filters=[clean])
    submit = SubmitField(_l("Add note"))


class RestoreForm(FlaskForm):
    """Restore a set-aside mail as a case (one click; the department defaults to the service desk)."""

    department = SelectField(_l("Department"), validators=[DataRequired()])
    submit = SubmitField(_l("Restore as a case"))
