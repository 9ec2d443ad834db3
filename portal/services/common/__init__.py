"""Words, dates, mail and the audit trail every part of the portal shares."""
