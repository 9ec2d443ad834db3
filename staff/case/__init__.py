"""The case page: its panels and the actions on them."""
