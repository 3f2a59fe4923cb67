"""The consumer runtime every group shares: declarations, delivery policy, subscription, heartbeats, metrics."""
