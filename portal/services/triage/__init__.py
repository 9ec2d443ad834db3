"""What the Customer Feedback Team does with what arrives: the inbox, triage decisions, the dashboard."""
