"""Insight: suggested themes and teams, and similar past cases, learned on this server
from the organisation's own closed records (docs/insight.md).

Layers, lowest first: ``model`` (the text model, no database), ``evaluation`` (scoring
interchange files), ``store`` (the trained model under ``instance/``), ``training`` (which
records it learns from, and the nightly run), ``similar``, ``suggestions`` (what triage is
offered and accepting one), ``trends`` (themes over time).
"""
