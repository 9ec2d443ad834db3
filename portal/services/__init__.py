"""Domain logic: plain functions over explicit arguments, tested without HTTP."""
