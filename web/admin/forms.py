from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional


class DeleteForm(FlaskForm):
    """Delete by conversation id or by case number (one of the two)."""

    conversation = StringField(_l("Conversation ID"), validators=[Optional(), Length(max=64)])
    case = StringField(_l("Case number"), validators=[Optional(), Length(max=20)])
    submit = SubmitField(_l("Delete permanently"))
