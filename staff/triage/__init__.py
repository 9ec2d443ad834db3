"""The inbox and the people register."""
