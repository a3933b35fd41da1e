"""Admin forms: people, departments, customer accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("staff", _l("Staff")),
            SelectChoice("admin", _l("Administrator")),
            SelectChoice("customer", _l("Customer")),
        ],
    )
    job = SelectField(
        _l("Job"),
        choices=[
            SelectChoice("", _l("None")),
            SelectChoice("sales", _l("Sales")),
            SelectChoice("service", _l("Service")),
            SelectChoice("product", _l("Product")),
            SelectChoice("management", _l("Management")),
        ],
        validators=[Optional()],
    )
    department = StringField(_l("Department (staff)"), validators=[Optional(), Length(max=80)])
    account = StringField(_l("Customer account (customers)"), validators=[Optional(), Length(max=120)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=8, max=200)])


class DepartmentForm(FlaskForm):
    name = StringField(_l("Department name"), validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])


class AccountForm(FlaskForm):
    name = StringField(_l("Account name"), validators=[DataRequired(), Length(max=120)])
    industry = StringField(_l("Industry"), validators=[Optional(), Length(max=80)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=80)])
