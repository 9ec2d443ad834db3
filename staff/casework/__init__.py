"""The casework panels: Ombudsman enquiries, payments, learning actions, restrictions."""
