"""A local storefront serving a synthetic demo catalog in Shopify (storefront, Admin) and WooCommerce formats."""
