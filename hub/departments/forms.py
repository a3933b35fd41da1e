"""Forms on department pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class PostForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text (Markdown)"), validators=[DataRequired(), Length(max=20000)])


class QuestionForm(FlaskForm):
    title = StringField(_l("Question"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Details (Markdown, optional)"), validators=[Optional(), Length(max=20000)])


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("Your answer (Markdown)"), validators=[DataRequired(), Length(max=20000)])
