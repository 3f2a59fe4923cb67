"""Cross-cutting telemetry: structured logs, the correlation id in scope, and publishing metrics."""
