"""Insight on the staff side: suggestions and similar past cases on the case page, and
the administrator's page of how well the model does (docs/insight.md)."""
