"""The recommendation context: a hybrid recommender that explains itself (wired into a consumer group by the lead)."""
