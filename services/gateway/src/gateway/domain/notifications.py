"""What each domain event says to its owner, and which channels carry it unless the owner decides otherwise."""

CHANNELS = ("in_app", "realtime", "email")  # customer webhooks are chosen per endpoint, not here
EMAILED_BY_DEFAULT = {"payment.paid", "payment.refunded", "job.failed"}  # receipts, and bad news


def default_enabled(event_type: str, channel: str) -> bool:
    return channel != "email" or event_type in EMAILED_BY_DEFAULT


def render(event_type: str, data: dict) -> tuple[str, str]:
    """(title, body) of an event, the same in the inbox, the push and the e-mail."""
    title = data.get("title") or data.get("item_title") or ""
    won = f"{data.get('amount', 0):,} won"
    texts = {
        "job.processing": ("Your job started", "We are summarising your text and building its checklist."),
        "job.completed": (
            "Your job is done",
            f"The summary and a checklist of {data.get('items', 0)} items are ready.",
        ),
        "job.failed": ("Your job failed", f"It could not be completed: {data.get('reason', 'unknown error')}."),
        "payment.paid": ("Payment received", f"{won} for {title} was paid. This is your receipt."),
        "payment.failed": ("Payment declined", f"{won} for {title} was declined: {data.get('reason', 'declined')}."),
        "payment.refunded": ("Payment refunded", f"{won} for {title} was refunded."),
        "tokens.credited": ("Tokens added", f"{data.get('tokens', 0):,} tokens were added to your wallet."),
    }
    return texts.get(event_type, (event_type, ""))

