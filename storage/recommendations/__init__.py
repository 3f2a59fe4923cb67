"""The recommendation context's read models: generated recommendation sets, their items, and users' feedback."""
