"""The fulfillment consumer group: paid orders to dropship partners, cancellations, refunds."""
