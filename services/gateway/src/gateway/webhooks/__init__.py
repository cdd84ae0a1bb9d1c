"""Internal webhooks: the platform's own services reporting back to the gateway, signed, under /api/webhooks/.

One module per sender (jobs, careers and classroom: the llm-worker's reports; payments; notifier: its delivery attempts;
training and inference: the AI servers' reports), all over one verify-and-load function (receiver.py).
Each report body is the contract its sender builds from shared.messages (contracts.py holds the two
together). Not to be confused with outbound customer webhooks: the endpoints a user registers to hear of
their own events (gateway.notifications.endpoints*, delivered by the notifier with shared.webhooks).
"""


def blueprints() -> tuple:
    """The two documented groups of internal webhooks, each sender's routes on them."""
    from gateway.webhooks import careers, classroom, inference, jobs, notifier, payments, training  # noqa: F401 - routes
    from gateway.webhooks.receiver import blp, studio_blp

    return blp, studio_blp
