"""Analyst tools: read topics, replay projections into a schema and compare, export, redrive dead letters."""
