"""Data protection pages: retention, holds, subject access."""
