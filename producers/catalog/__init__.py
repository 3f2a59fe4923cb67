"""Catalog ingestion: feed adapters (Shopify storefront and Admin, WooCommerce), validation, deduplication, diffs."""
