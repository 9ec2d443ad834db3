"""Data protection: retention and purge, subject access, the access log."""
