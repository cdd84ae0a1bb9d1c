"""The SQL of the instructor's statistics: one statement per read, whatever the size of the lecture.

A learner is a user (enrolled, or who joined a session signed in) or a device that joined by code; their
participations in the lecture's sessions count together.
"""

import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

from gateway.classroom.models import participant_step_sql

LECTURE = text("""
SELECT l.title,
       (SELECT count(*) FROM lecture_steps s JOIN lecture_tasks t ON t.id = s.task_id WHERE t.lecture_id = l.id)
         AS total_steps,
       (SELECT count(*) FROM class_sessions cs WHERE cs.lecture_id = l.id) AS total_sessions,
       (SELECT count(*) FROM help_requests h WHERE h.lecture_id = l.id) AS total_help_requests
FROM lectures l WHERE l.id = :lecture AND l.instructor_id = :owner AND l.deleted_at IS NULL
""")

STEP_OF = participant_step_sql("p", "cs")  # a participant's current step (p joined to its session cs)

PARTS = f"""
parts AS (
  SELECT p.*, coalesce(p.user_id::text, 'device:' || p.device_id) AS learner, {STEP_OF} AS current_step_id
  FROM session_participants p JOIN class_sessions cs ON cs.id = p.session_id WHERE cs.lecture_id = :lecture
)"""

STUDENTS = text(f"""
WITH {PARTS},
latest AS (
  SELECT DISTINCT ON (learner) learner, user_id, device_id, display_name, current_step_id, status
  FROM parts ORDER BY learner, joined_at DESC
),
seen AS (SELECT learner, max(last_active_at) AS last_active_at, count(*) AS sessions FROM parts GROUP BY learner),
done AS (
  SELECT parts.learner, count(DISTINCT sp.step_id) FILTER (WHERE sp.completed_at IS NOT NULL) AS completed
  FROM step_progress sp JOIN parts ON parts.id = sp.participant_id GROUP BY parts.learner
),
helped AS (
  SELECT coalesce(h.user_id::text, 'device:' || p.device_id) AS learner, count(*) AS help_requests
  FROM help_requests h LEFT JOIN session_participants p ON p.id = h.participant_id
  WHERE h.lecture_id = :lecture GROUP BY 1
),
enrolled AS (
  SELECT user_id::text AS learner, user_id, enrolled_at FROM lecture_enrollments WHERE lecture_id = :lecture
),
everyone AS (
  SELECT coalesce(l.learner, e.learner) AS learner, coalesce(l.user_id, e.user_id) AS user_id, l.device_id,
         l.display_name, l.current_step_id, l.status, e.enrolled_at
  FROM latest l FULL JOIN enrolled e ON e.learner = l.learner
)
SELECT x.user_id, x.device_id, coalesce(x.display_name, u.username) AS name, u.email, x.enrolled_at,
       coalesce(d.completed, 0) AS completed, coalesce(hp.help_requests, 0) AS help_requests, s.last_active_at,
       coalesce(s.sessions, 0) AS sessions, st.id AS step_id, st.title AS step_title, x.status
FROM everyone x
LEFT JOIN users u ON u.id = x.user_id
LEFT JOIN done d ON d.learner = x.learner
LEFT JOIN helped hp ON hp.learner = x.learner
LEFT JOIN seen s ON s.learner = x.learner
LEFT JOIN lecture_steps st ON st.id = x.current_step_id
ORDER BY s.last_active_at DESC NULLS LAST, x.learner
""")

STEPS = """
steps AS (
  SELECT s.id, s.title, t.title AS task_title, row_number() OVER (ORDER BY t.position, s.position) AS order_index
  FROM lecture_steps s JOIN lecture_tasks t ON t.id = s.task_id WHERE t.lecture_id = :lecture
)"""

# Time on a step: from the first sign of it (started, or the first event reported on it) to its completion.
STEP_ANALYSIS = text(f"""
WITH {STEPS},
per_learner AS (
  SELECT coalesce(sp.step_id, a.step_id) AS step_id, sp.completed_at IS NOT NULL AS completed,
         EXTRACT(EPOCH FROM sp.completed_at - LEAST(sp.started_at, a.first_at)) AS seconds,
         coalesce(a.events, 0) AS events
  FROM (SELECT sp.* FROM step_progress sp JOIN class_sessions cs ON cs.id = sp.session_id
        WHERE cs.lecture_id = :lecture) sp
  FULL JOIN (SELECT * FROM activity_step_totals WHERE lecture_id = :lecture) a
    ON a.participant_id = sp.participant_id AND a.step_id = sp.step_id
),
timed AS (SELECT *, avg(seconds) OVER (PARTITION BY step_id) AS step_average FROM per_learner),
progress AS (
  SELECT step_id, count(*) AS learners, count(*) FILTER (WHERE completed) AS completed, avg(seconds) AS average,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median, sum(events) AS events,
         count(*) FILTER (WHERE seconds >= 2 * step_average AND step_average > 0) AS delayed
  FROM timed GROUP BY step_id
),
helps AS (
  SELECT step_id, count(*) AS requests, count(*) FILTER (WHERE status <> 'RESOLVED') AS open
  FROM help_requests WHERE lecture_id = :lecture AND step_id IS NOT NULL GROUP BY step_id
),
here AS (
  SELECT {STEP_OF} AS step_id, count(*) AS now,
         count(*) FILTER (WHERE p.last_active_at < now() - make_interval(secs => :quiet)) AS stalled
  FROM session_participants p JOIN class_sessions cs ON cs.id = p.session_id
  WHERE cs.lecture_id = :lecture AND cs.status IN ('IN_PROGRESS', 'PAUSED') AND p.status = 'ACTIVE'
  GROUP BY 1
)
SELECT steps.id, steps.title, steps.task_title, steps.order_index,
       coalesce(pr.learners, 0) AS learners, coalesce(pr.completed, 0) AS completed, pr.average, pr.median,
       coalesce(pr.delayed, 0) AS delayed, coalesce(pr.events, 0) AS events, coalesce(h.requests, 0) AS help_requests,
       coalesce(h.open, 0) AS open_help_requests, coalesce(here.now, 0) AS on_it_now,
       coalesce(here.stalled, 0) AS stalled_now
FROM steps
LEFT JOIN progress pr ON pr.step_id = steps.id
LEFT JOIN helps h ON h.step_id = steps.id
LEFT JOIN here ON here.step_id = steps.id
ORDER BY steps.order_index
""")

SESSION_HEADER = text("""
WITH steps AS (
  SELECT s.id, row_number() OVER (ORDER BY t.position, s.position) AS order_index
  FROM lecture_steps s JOIN lecture_tasks t ON t.id = s.task_id
  WHERE t.lecture_id = (SELECT lecture_id FROM class_sessions WHERE id = :session)
)
SELECT cs.title, cs.status, cs.lecture_id, cs.current_step_id, (SELECT count(*) FROM steps) AS total_steps,
       (SELECT order_index FROM steps WHERE steps.id = cs.current_step_id) AS current_order
FROM class_sessions cs JOIN lectures l ON l.id = cs.lecture_id
WHERE cs.id = :session AND l.instructor_id = :owner
""")

SESSION_PROGRESS = text(f"""
WITH {STEPS}
SELECT p.user_id, p.device_id, coalesce(p.display_name, u.username) AS name, p.status, steps.id AS step_id,
       steps.title AS step_title, steps.order_index, p.last_active_at,
       (SELECT count(*) FROM step_progress sp WHERE sp.participant_id = p.id AND sp.completed_at IS NOT NULL)
         AS completed
FROM session_participants p
JOIN class_sessions cs ON cs.id = p.session_id
LEFT JOIN users u ON u.id = p.user_id
LEFT JOIN steps ON steps.id = {STEP_OF}
WHERE p.session_id = :session
ORDER BY p.joined_at, p.id
""")


# The lecture's finished sessions (ended, or reviewed since) that anyone joined, oldest first.
SESSION_TRENDS = text("""
SELECT cs.id, cs.title, cs.started_at, cs.ended_at, count(p.id) AS participants,
       count(p.id) FILTER (WHERE p.status = 'COMPLETED') AS completed,
       avg(EXTRACT(EPOCH FROM p.completed_at - p.joined_at)) FILTER (WHERE p.completed_at IS NOT NULL) AS completion,
       (SELECT count(*) FROM help_requests h WHERE h.session_id = cs.id) AS help_requests
FROM class_sessions cs JOIN session_participants p ON p.session_id = cs.id
WHERE cs.lecture_id = :lecture AND cs.status IN ('ENDED', 'REVIEW_MODE')
GROUP BY cs.id
ORDER BY cs.started_at NULLS LAST, cs.created_at, cs.id
""")


class StatisticsStore:
    def __init__(self, session: Session):
        self._session = session

    def lecture(self, lecture_id: uuid.UUID, owner_id: uuid.UUID) -> tuple | None:
        """(title, steps, sessions, help requests) of the owner's lecture, or None."""
        return self._session.execute(LECTURE, {"lecture": lecture_id, "owner": owner_id}).first()

    def students(self, lecture_id: uuid.UUID) -> list[tuple]:
        return list(self._session.execute(STUDENTS, {"lecture": lecture_id}))

    def steps(self, lecture_id: uuid.UUID, quiet_seconds: int) -> list[tuple]:
        return list(self._session.execute(STEP_ANALYSIS, {"lecture": lecture_id, "quiet": quiet_seconds}))

    def session(self, session_id: uuid.UUID, owner_id: uuid.UUID) -> tuple | None:
        """(title, status, lecture id, current step id, steps) of a session of the owner's lecture, or None."""
        return self._session.execute(SESSION_HEADER, {"session": session_id, "owner": owner_id}).first()

    def participants(self, session_id: uuid.UUID, lecture_id: uuid.UUID) -> list[tuple]:
        return list(self._session.execute(SESSION_PROGRESS, {"session": session_id, "lecture": lecture_id}))

    def finished_sessions(self, lecture_id: uuid.UUID) -> list:
        return list(self._session.execute(SESSION_TRENDS, {"lecture": lecture_id}))
