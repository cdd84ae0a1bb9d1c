"""The live classroom's real-time channel: `/ws/sessions/{code}` and `/ws/dashboard/lectures/{id}`.

The gateway numbers every change to a live session and publishes it as a SessionEvent carrying the session's
state after it (shared/messages/classroom.py). Each replica gets every one on its own queue, keeps the latest
state and a window of recent events per session in Redis (log.py; the `notifier.events` consumer records them
too, so the window is whole even while no replica listens), and fans them out in `seq` order (hub.py). A
(re)connecting client gets the state at seq N, then every event after N: none missed, none twice, on any
replica. A learner's message goes to the gateway's HTTP API with the learner's own token (actions.py).
"""
