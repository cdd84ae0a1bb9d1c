"""The activity consumer's SQL: store a batch of events once each, with the reader's next offset, in one transaction.

Events are copied into a temporary table (binary COPY: the cheapest way in, half the time of text) and moved to
activity_logs with ON CONFLICT DO NOTHING on the unique event_id, so a replayed or redelivered batch stores nothing
twice; the ones stored now are added to activity_step_totals in the same statement.
"""

import zlib
from collections.abc import Iterable
from datetime import UTC, datetime

import orjson
import psycopg
from psycopg.types.json import set_json_dumps

COLUMNS = (
    "event_id",
    "session_id",
    "participant_id",
    "user_id",
    "lecture_id",
    "step_id",
    "recording_id",
    "device_id",
    "event_type",
    "occurred_at",
    "received_at",
    "package",
    "screen",
    "element",
    "text",
    "x",
    "y",
    "data",
)
NAMES = ", ".join(COLUMNS)
TYPES = ("uuid",) * 7 + ("varchar", "varchar", "timestamptz", "timestamptz") + ("varchar",) * 3 + ("text",)
TYPES += ("int4", "int4", "jsonb")
STAGING = """
CREATE TEMPORARY TABLE IF NOT EXISTS activity_staging (
  event_id uuid, session_id uuid, participant_id uuid, user_id uuid, lecture_id uuid, step_id uuid,
  recording_id uuid, device_id varchar(100), event_type varchar(40), occurred_at timestamptz,
  received_at timestamptz, package varchar(255), screen varchar(255), element varchar(255), text text,
  x integer, y integer, data jsonb
) ON COMMIT DELETE ROWS
"""
# Only the events stored now are added to the totals: a batch read again adds nothing.
MOVE = f"""
WITH moved AS (
  INSERT INTO activity_logs ({NAMES}) SELECT {NAMES} FROM activity_staging ON CONFLICT (event_id) DO NOTHING
  RETURNING participant_id, step_id, session_id, lecture_id, occurred_at
), totals AS (
  INSERT INTO activity_step_totals AS t (participant_id, step_id, session_id, lecture_id, events, first_at, last_at)
  SELECT participant_id, step_id, session_id, lecture_id, count(*), min(occurred_at), max(occurred_at)
  FROM moved WHERE participant_id IS NOT NULL AND step_id IS NOT NULL
  GROUP BY participant_id, step_id, session_id, lecture_id
  ON CONFLICT (participant_id, step_id) DO UPDATE SET events = t.events + excluded.events,
    first_at = LEAST(t.first_at, excluded.first_at), last_at = GREATEST(t.last_at, excluded.last_at)
)
SELECT count(*) FROM moved
"""
# Activity is a sign of life: the instructor's "delayed" learners are those silent for minutes. Rows another
# transaction holds are skipped (a later batch refreshes them): this never waits and never deadlocks.
TOUCH_PARTICIPANTS = """
UPDATE session_participants p SET last_active_at = seen.at
FROM (SELECT participant_id, max(received_at) AS at FROM activity_staging
      WHERE participant_id IS NOT NULL GROUP BY participant_id) seen
WHERE p.id = seen.participant_id AND p.last_active_at < seen.at
  AND p.id IN (SELECT id FROM session_participants WHERE id IN (SELECT participant_id FROM activity_staging)
               FOR UPDATE SKIP LOCKED)
"""
SAVE_OFFSET = """
INSERT INTO stream_offsets (stream, reader, next_offset, updated_at) VALUES (%s, %s, %s, %s)
ON CONFLICT (stream, reader) DO UPDATE
SET next_offset = GREATEST(stream_offsets.next_offset, excluded.next_offset), updated_at = excluded.updated_at
"""
NEXT_OFFSET = "SELECT next_offset FROM stream_offsets WHERE stream = %s AND reader = %s"


class ActivityLogStore:
    """One connection: the reader's lock, its offset, and the batches it stores."""

    def __init__(self, dsn: str, stream: str, reader: str):
        self._dsn, self.stream, self.reader = dsn, stream, reader
        self._conn: psycopg.Connection | None = None

    def open(self) -> None:
        self._conn = psycopg.connect(self._dsn, application_name=f"activity-consumer:{self.reader}")
        set_json_dumps(orjson.dumps, self._conn)
        with self._conn.transaction():
            self._conn.execute(STAGING)

    def close(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.close()
        self._conn = None

    def lead(self) -> bool:
        """Whether this replica is the reader now (a session lock: released when its connection ends)."""
        key = 0x5EAD << 32 | zlib.crc32(f"{self.stream}/{self.reader}".encode())
        row = self._conn.execute("SELECT pg_try_advisory_lock(%s::bigint)", (key,)).fetchone()
        self._conn.commit()
        return bool(row[0])

    def next_offset(self) -> int | None:
        """Where to resume (None: nothing stored yet, read from the stream's first message)."""
        row = self._conn.execute(NEXT_OFFSET, (self.stream, self.reader)).fetchone()
        self._conn.commit()
        return None if row is None else row[0]

    def save(self, rows: Iterable[tuple], next_offset: int) -> int:
        """Store the rows (each once, whatever was stored before) and the next offset, atomically; rows new."""
        with self._conn.transaction():
            with self._conn.cursor() as cursor:
                with cursor.copy(f"COPY activity_staging ({NAMES}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(TYPES)
                    for row in rows:
                        copy.write_row(row)
                stored = cursor.execute(MOVE).fetchone()[0]
                cursor.execute(TOUCH_PARTICIPANTS)
                cursor.execute(SAVE_OFFSET, (self.stream, self.reader, next_offset, datetime.now(UTC)))
        return stored
