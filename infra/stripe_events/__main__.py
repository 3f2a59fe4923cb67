"""Run the companion: `python -m infra.stripe_events --port N --upstream URL --webhook-url URL --secret whsec_…`."""

from __future__ import annotations

import argparse

import uvicorn

from infra.stripe_events.app import build_app
from infra.stripe_events.ledger import Ledger


def main() -> None:
    """Parse the command line and serve on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m infra.stripe_events", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True, help="stripe-mock's URL")
    parser.add_argument("--webhook-url", required=True, help="Shine's Stripe webhook")
    parser.add_argument("--secret", required=True, help="the webhook signing secret (whsec_…)")
    parser.add_argument("--plan-amount", type=int, default=999, help="what a subscription invoice charges (cents)")
    args = parser.parse_args()
    app = build_app(args.upstream, args.webhook_url, args.secret, Ledger(plan_amount=args.plan_amount))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
