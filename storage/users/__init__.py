"""The users context in Postgres: edge-owned accounts, sessions and sign-ins, and the users read model."""
