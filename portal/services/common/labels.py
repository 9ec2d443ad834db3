"""Words people read for the codes the portal stores (one place for all of them)."""

LABELS = {
    # Submitter roles
    "child_or_young_person": "Child or young person",
    "care_leaver": "Care leaver",
    "parent_or_carer": "Parent or carer",
    "other_family": "Other family member",
    "foster_carer": "Foster carer",
    "special_guardian": "Special guardian",
    "professional": "Professional",
    "staff": "Member of staff",
    "advocate_or_representative": "Advocate or representative",
    "other": "Other",
    # Kinds
    "compliment": "Compliment",
    "initial_contact": "Initial contact",
    "complaint": "Complaint",
    # Channels
    "web": "Web form",
    "email": "Email",
    "phone": "Phone",
    "letter": "Letter",
    "in_person": "In person",
    # Contact methods
    "text": "Text message",
    "post": "Post",
    # Categories
    "query": "Question",
    "concern": "Concern",
    "information_request": "Information request",
    "issue": "Issue",
    # Consent
    "yes": "Yes",
    "no": "No",
    "not_asked": "Not asked yet",
}


def label(code: str | None) -> str:
    if code is None:
        return ""
    return LABELS.get(code, code.replace("_", " ").capitalize())
