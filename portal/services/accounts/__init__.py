"""Staff accounts: signing in, passwords, roles and permissions, administration."""
