"""Work the worker does on a schedule."""
