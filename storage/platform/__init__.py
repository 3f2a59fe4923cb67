"""Delivery bookkeeping shared by every context: claims, heartbeats, the outbox table, request counters."""
