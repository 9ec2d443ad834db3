"""Forms of the inbox: acting on the records ticked in the list, and saving a filter."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.forms import BaseForm, clean_text
from portal.services.common.labels import InitialContactCategory, InitialContactOutcome
from staff.fields import PickList, team_list

ACTIONS = [("assign", "Assign"), ("classify", "Classify"), ("close", "Close")]


class BulkForm(BaseForm):
    """The list's form: the ticked rows (``id:version`` each) and the button pressed
    (``action``), with what that action needs."""

    selected = SelectMultipleField("Records", validate_choice=False)
    action = SelectField("Action", choices=ACTIONS, validate_choice=False)
    assignee = PickList("Assign to", "Choose someone", "Select someone from the list")
    category = SelectField("Category", choices=[("", "Leave as it is")] + InitialContactCategory.choices(),
                           validate_choice=False)
    team_id = team_list("Leave as it is")
    close_as = RadioField("Close as", choices=InitialContactOutcome.choices("resolved", "withdrawn"),
                          validators=[Optional()], validate_choice=False)
    resolution = StringField("What was done, or why they were withdrawn", filters=[clean_text],
                             validators=[Length(max=5000)])
    back = HiddenField()

    def __init__(self, *args, staff=(), teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee.offer(staff)
        self.team_id.offer(teams)

    def validate_action(self, field):
        if field.data not in dict(ACTIONS):
            raise ValidationError("Choose what to do with the records you selected")

    def validate_assignee(self, field):
        if self.action.data == "assign" and field.data is None:
            raise ValidationError("Select who to assign them to")

    def validate_category(self, field):
        if field.data and field.data not in InitialContactCategory:
            raise ValidationError("Select a category from the list")

    def validate_close_as(self, field):
        if self.action.data == "close" and field.data not in ("resolved", "withdrawn"):
            raise ValidationError("Select how they were closed")


class SaveFilterForm(BaseForm):
    name = StringField("Name this list", filters=[clean_text], validators=[Length(max=200)],
                       description="For example, My concerns due this week")
    query = HiddenField()
