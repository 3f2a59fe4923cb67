"""Pure rules of an order's life: facts, their order-independent fold, derived statuses and what to do next."""
