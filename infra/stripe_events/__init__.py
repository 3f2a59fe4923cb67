"""stripe-mock's webhook companion: a proxy that makes stripe-mock's answers stateful and sends Stripe's webhooks.

stripe-mock is Stripe's official mock and is stateless: it echoes creates, never moves a PaymentIntent past
`requires_payment_method` and sends no webhooks. Standing in front of it, this peer remembers what was made and
sends the signed events Stripe would (`payment_intent.succeeded` on a confirm with a card, `charge.refunded` on a
refund, `customer.subscription.*` and `invoice.paid`), so the local system pays, refunds and subscribes end to end.
"""
