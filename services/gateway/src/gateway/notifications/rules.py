"""What each domain event says to its owner, and which channels carry it unless the owner decides otherwise."""

CHANNELS = ("in_app", "realtime", "email")  # customer webhooks are chosen per endpoint, not here
EMAILED_BY_DEFAULT = {"payment.paid", "payment.refunded", "job.failed", "endpoint.disabled"}  # receipts, and bad news


def default_enabled(event_type: str, channel: str) -> bool:
    return channel != "email" or event_type in EMAILED_BY_DEFAULT


def render(event_type: str, data: dict) -> tuple[str, str]:
    """(title, body) of an event, the same in the inbox, the push and the e-mail."""
    title = data.get("title") or data.get("item_title") or ""
    won = f"{data.get('amount', 0):,} won"
    style = data.get("style_name") or "your style"
    actor = data.get("actor_username") or "Someone"
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
        "training.completed": ("Your style is trained", f"'{style}' is ready: images can now be made in it."),
        "training.failed": ("Training failed", f"'{style}' could not be trained: {data.get('reason', 'an error')}."),
        "endpoint.disabled": (
            "A webhook endpoint was switched off",
            f"Nothing more is sent to {data.get('url', 'your endpoint')}: {data.get('reason', 'it kept failing')}. "
            "Fix it, then register it again.",
        ),
        "generation.completed": ("Your image is ready", f"Your image in the style '{style}' is done."),
        "generation.liked": ("Someone liked your image", f"{actor} liked your image in the style '{style}'."),
        "generation.commented": ("A comment on your image", f"{actor}: {data.get('excerpt', '')}"),
        "user.followed": ("A new follower", f"{actor} started following you."),
        "generation.failed": (
            "Your image failed",
            f"It could not be made: {data.get('reason', 'unknown error')}. "
            f"{data.get('refunded', 0):,} tokens went back to your wallet.",
        ),
    }
    return texts.get(event_type, (event_type, ""))
