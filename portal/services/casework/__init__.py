"""The work around a complaint: Ombudsman enquiries, payments, learning actions, contact restrictions."""
