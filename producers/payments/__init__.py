"""Turning what Stripe and the dropship partners send us into payments and orders events."""
