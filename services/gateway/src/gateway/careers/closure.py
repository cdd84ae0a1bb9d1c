"""What the careers line keeps of an account that closes: nothing.

A career profile, résumés, postings and the AI work on them are their owner's
alone (no one else's record refers to them, unlike a buyer's images of an
artist's style), and full of personal data: the closure deletes them all in
its own transaction, soft-deleted ones included, so nothing can be read, listed,
counted or restored. The résumés' photos leave the object store once that
transaction has committed (a copy the store fails to delete is logged and never
served: photos are fetched by signed URLs that expire within
rules.PHOTO_URL_SECONDS). A feedback, interview
or guide still on its way through the llm-worker reports back to a row that is
gone, and the report changes nothing.
"""

import functools
import uuid
from collections.abc import Callable
from datetime import datetime

from gateway.careers.closure_store import ClosureStore
from gateway.careers.photos import forget_photos
from gateway.platform.db import UnitOfWork
from shared.storage import ObjectStore


def erase_account(objects: ObjectStore, uow: UnitOfWork, user_id: uuid.UUID, now: datetime) -> Callable[[], None]:
    """Erase the closing account's careers data (accounts.closure calls it inside its transaction); what it
    answers deletes the photos, once that transaction has committed."""
    closure = uow.store(ClosureStore)
    keys = closure.photo_keys(user_id)
    closure.erase(user_id)
    return functools.partial(forget_photos, objects, keys)
