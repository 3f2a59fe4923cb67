"""Run the companion: `python -m infra.stripe_events --port N --upstream URL --webhook-url URL --secret whsec_…`."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from infra.stripe_events.app import Memory, build_app


def main() -> None:
    """Parse the command line and serve on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m infra.stripe_events", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True, help="stripe-mock's URL")
    parser.add_argument("--webhook-url", required=True, help="Shine's Stripe webhook")
    parser.add_argument("--secret", required=True, help="the webhook signing secret (whsec_…)")
    parser.add_argument("--plan-amount", type=int, default=999, help="what a subscription invoice charges (cents)")
    parser.add_argument("--state-file", type=Path, default=None, help="keep what it remembers here across restarts")
    args = parser.parse_args()
    memory = Memory.load(args.state_file, args.plan_amount)
    app = build_app(args.upstream, args.webhook_url, args.secret, memory)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
