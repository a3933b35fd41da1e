"""Forms of the search area: the admin dictionary."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from .models import WORD_KINDS

WORD_KIND_LABELS = {
    "product": _l("Product"),
    "competitor": _l("Competitor"),
    "customer": _l("Customer"),
    "other": _l("Other"),
}


class WordForm(FlaskForm):
    word = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k, WORD_KIND_LABELS[k]) for k in WORD_KINDS], default="product"
    )
