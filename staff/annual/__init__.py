"""The annual reports, the self-assessment and the Ombudsman's figures and data."""
