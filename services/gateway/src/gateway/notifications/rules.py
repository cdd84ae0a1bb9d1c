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
    return texts.get(event_type) or _careers_text(event_type, data) or (event_type, "")


# Careers' AI work: feedback, rewrites, mock interviews, study guides. Facts: resume_title, title (the new
# résumé's, the guide's), reason (a failure's).
CAREERS_TITLES = {
    "resume_feedback.completed": ("Your résumé feedback is ready", "The AI feedback on '{resume_title}' is ready."),
    "resume_feedback.failed": (
        "Résumé feedback failed",
        "The feedback on '{resume_title}' could not be made: {reason}.",
    ),
    "resume_rewrite.completed": ("Your rewritten résumé is ready", "'{title}' was added to your résumés."),
    "resume_rewrite.failed": ("Résumé rewrite failed", "The résumé could not be rewritten: {reason}."),
    "interview.completed": (
        "Your mock interview is ready",
        "The next step of your interview on '{resume_title}' is ready.",
    ),
    "interview.failed": ("Mock interview failed", "The interview on '{resume_title}' could not go on: {reason}."),
    "study_guide.completed": ("Your study guide is ready", "'{title}' is ready to study."),
    "study_guide.failed": ("Study guide failed", "The study guide could not be made: {reason}."),
}
CAREERS_DEFAULTS = {"resume_title": "your résumé", "title": "Untitled", "reason": "unknown error"}
# The classroom's AI work: a help request's diagnosis, a recording's analysis. Facts: subtask_title, title (the
# recording's), steps, hesitations, reason (a failure's).
CAREERS_TITLES |= {
    "help_request.completed": ("Help is here", "The AI looked at where you got stuck on '{subtask_title}': open it."),
    "help_request.failed": ("Help could not be prepared", "No AI advice for '{subtask_title}': {reason}."),
    "help_request.resolved": (
        "Your help request is resolved",
        "The instructor resolved your request on '{subtask_title}'.",
    ),
    "recording_analysis.completed": (
        "Your recording is analysed",
        "'{title}': {steps} steps, {hesitations} hesitations.",
    ),
    "recording_analysis.failed": ("Recording analysis failed", "'{title}' could not be analysed: {reason}."),
}
CAREERS_DEFAULTS |= {"subtask_title": "this step", "steps": 0, "hesitations": 0}


def _careers_text(event_type: str, data: dict) -> tuple[str, str] | None:
    texts = CAREERS_TITLES.get(event_type)
    if texts is None:
        return None
    facts = {**CAREERS_DEFAULTS, **{k: v for k, v in data.items() if v is not None}}
    return texts[0], texts[1].format_map(_Lenient(facts))


class _Lenient(dict):
    """str.format_map's mapping: a fact an event does not give reads as nothing instead of failing."""

    def __missing__(self, key: str) -> str:
        return ""
