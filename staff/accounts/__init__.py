"""Signing in, your account, and administration: staff accounts, teams, themes, timescales, the audit trail."""
