"""The demo data: an invented, realistic data set for trying the portal."""
