"""The complaint procedure panel of the case page, and the timescales page."""
