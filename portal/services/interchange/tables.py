"""The tables the interchange format is read from (``export``) and written to (``loading``).

Both work on the tables rather than the models, so that a chunk of thousands of rows is
read and written in bulk, without an object for each.
"""

from portal import models

FEEDBACK = models.Feedback.__table__
PERSON = models.Person.__table__
STAGE = models.Stage.__table__
ELEMENT = models.Element.__table__
ENQUIRY = models.OmbudsmanEnquiry.__table__
RECOMMENDATION = models.OmbudsmanRecommendation.__table__
PAYMENT = models.Payment.__table__
ACTION = models.LearningAction.__table__
RESTRICTION = models.ContactRestriction.__table__
CHILD = models.Child.__table__
ADVOCACY = models.Advocacy.__table__
