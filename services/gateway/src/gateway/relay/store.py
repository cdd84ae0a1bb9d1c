"""The relay's SQL: claim a batch of pending rows, mark them published, purge old rows."""

from dataclasses import dataclass

import psycopg

from shared.amqp.publisher import Outgoing

CLAIM = """
SELECT id, message_id, exchange, routing_key, message_type, payload::text, headers
FROM outbox WHERE published_at IS NULL
ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED
"""


@dataclass
class Claim:
    """Rows locked by this relay until `finish` commits or the connection drops."""

    conn: psycopg.Connection
    ids: list[int]
    messages: list[Outgoing]


class OutboxStore:
    """One connection for claiming and marking; another, autocommit, for LISTEN."""

    def __init__(self, dsn: str):
        self._dsn = dsn
        self._conn: psycopg.Connection | None = None
        self.listener: psycopg.Connection | None = None

    def open(self) -> None:
        self._conn = psycopg.connect(self._dsn, application_name="outbox-relay")
        self.listener = psycopg.connect(self._dsn, autocommit=True, application_name="outbox-relay-listen")
        self.listener.execute("LISTEN outbox")

    def close(self) -> None:
        for conn in (self._conn, self.listener):
            if conn is not None and not conn.closed:
                conn.close()

    def drain_notifications(self) -> int:
        """Read pending NOTIFYs without blocking; how many arrived."""
        pgconn = self.listener.pgconn
        pgconn.consume_input()
        count = 0
        while pgconn.notifies() is not None:
            count += 1
        return count

    def claim(self, limit: int) -> Claim | None:
        rows = self._conn.execute(CLAIM, (limit,)).fetchall()
        if not rows:
            self._conn.rollback()
            return None
        messages = [
            Outgoing(
                exchange=exchange,
                routing_key=routing_key,
                body=payload.encode(),
                message_id=str(message_id),
                type=message_type,
                headers=headers or {},
            )
            for _, message_id, exchange, routing_key, message_type, payload, headers in rows
        ]
        return Claim(self._conn, [row[0] for row in rows], messages)

    def finish(self, claim: Claim, confirmed: list[bool], error: str = "not confirmed by the broker") -> None:
        """Mark confirmed rows published; count an attempt on the rest; release the locks."""
        ok = [i for i, good in zip(claim.ids, confirmed, strict=True) if good]
        failed = [i for i, good in zip(claim.ids, confirmed, strict=True) if not good]
        if ok:
            claim.conn.execute("UPDATE outbox SET published_at = now() WHERE id = ANY(%s)", (ok,))
        if failed:
            claim.conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = %s WHERE id = ANY(%s)", (error, failed)
            )
        claim.conn.commit()

    def abandon(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.rollback()

    def purge(self, outbox_hours: int, receipt_hours: int, limit: int = 10_000) -> tuple[int, int]:
        """Delete published outbox rows and webhook receipts past their retention (bounded), and expired tokens."""
        outbox = self._conn.execute(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE published_at < now() - make_interval("
            "hours => %s) LIMIT %s)",
            (outbox_hours, limit),
        ).rowcount
        receipts = self._conn.execute(
            "DELETE FROM webhook_receipts WHERE webhook_id IN (SELECT webhook_id FROM webhook_receipts "
            "WHERE received_at < now() - make_interval(hours => %s) LIMIT %s)",
            (receipt_hours, limit),
        ).rowcount
        for table in ("token_revocations", "refresh_tokens", "idempotency_keys"):  # past expiry they protect nothing
            self._conn.execute(f"DELETE FROM {table} WHERE expires_at < now() - interval '1 hour'")
        self._conn.commit()
        return outbox, receipts
