"""The tables the interchange format is read from (``export``) and written to (``loading``).

Both work on the tables rather than the models, so that a chunk of thousands of rows is
read and written in bulk, without an object for each.
"""

from portal.models import (
    ContactRestriction,
    Element,
    Feedback,
    LearningAction,
    OmbudsmanEnquiry,
    OmbudsmanRecommendation,
    Payment,
    Person,
    Stage,
)

FEEDBACK = Feedback.__table__
PERSON = Person.__table__
STAGE = Stage.__table__
ELEMENT = Element.__table__
ENQUIRY = OmbudsmanEnquiry.__table__
RECOMMENDATION = OmbudsmanRecommendation.__table__
PAYMENT = Payment.__table__
ACTION = LearningAction.__table__
RESTRICTION = ContactRestriction.__table__
