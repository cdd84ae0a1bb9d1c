"""Which learners have a socket open, over every replica, so the gateway hears when one comes and when one goes.

The notifier records presence, because only it sees sockets close. Each learner socket holds an entry
(connection id -> expiry) in its participant's Redis hash, refreshed while it lives. When a learner's first
socket joins, the replica tells the gateway (`POST /api/sessions/{id}/presence {"connected": true}`: a learner
marked DISCONNECTED is back, `participant_joined`); when the client closes its last socket (or its network
drops), `{"connected": false}` (`participant_left`), with the learner's own token. A socket the server ends
(shutdown, token expiry, a slow client) is no leave: the client reconnects at once, on any replica. A replica
killed outright leaves its entries to expire: its learners reconnect elsewhere and are never marked gone.
"""

import logging
import time

from notifier.classroom.gateway import Gateway, GatewayUnavailable, segment
from notifier.classroom.watchers import Seat

log = logging.getLogger(__name__)

# KEYS: the participant's hash. ARGV: connection id, expiry, now, ttl. 1 if no other socket of theirs is live.
ARRIVE = """
local first = 1
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  if tonumber(entries[i + 1]) > tonumber(ARGV[3]) then first = 0 else redis.call('HDEL', KEYS[1], entries[i]) end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return first
"""
# KEYS: the participant's hash. ARGV: connection id, now. 1 if that was their last live socket.
DEPART = """
redis.call('HDEL', KEYS[1], ARGV[1])
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  if tonumber(entries[i + 1]) > tonumber(ARGV[2]) then return 0 end
end
redis.call('DEL', KEYS[1])
return 1
"""


class Presence:
    """Learner sockets' entries in Redis, and the gateway told when a learner comes or goes."""

    def __init__(self, client, prefix: str, gateway: Gateway, ttl_seconds: int = 90):
        self._client = client
        self._prefix = prefix
        self._gateway = gateway
        self.ttl = ttl_seconds
        self._arrive = client.register_script(ARRIVE)
        self._depart = client.register_script(DEPART)

    def key(self, seat: Seat) -> str:
        return f"{self._prefix}:classroom:{{{seat.lecture_id}}}:presence:{seat.session_id}:{seat.participant_id}"

    async def arrive(self, seat: Seat, connection_id: str, token: str) -> None:
        now = int(time.time())
        first = await self._arrive(keys=[self.key(seat)], args=[connection_id, now + self.ttl, now, self.ttl])
        if first:
            await self._tell(seat, token, connected=True)

    async def depart(self, seat: Seat, connection_id: str, token: str | None) -> None:
        """The socket is gone; with `token` (the client ended it), the gateway hears if it was the learner's last."""
        last = await self._depart(keys=[self.key(seat)], args=[connection_id, int(time.time())])
        if last and token:
            await self._tell(seat, token, connected=False)

    async def refresh(self, entries: list[tuple[Seat, str]]) -> None:
        """Keep this replica's sockets alive in Redis (every ttl / 3)."""
        if not entries:
            return
        expiry = int(time.time()) + self.ttl
        pipe = self._client.pipeline(transaction=False)
        for seat, connection_id in entries:
            pipe.hset(self.key(seat), connection_id, expiry)
            pipe.expire(self.key(seat), self.ttl)
        await pipe.execute()

    async def _tell(self, seat: Seat, token: str, connected: bool) -> None:
        path = f"/api/sessions/{segment(seat.session_id)}/presence"
        try:
            answer = await self._gateway.post(path, token, {"connected": connected})
        except GatewayUnavailable as exc:
            log.warning("participant %s presence (%s) not recorded: %s", seat.participant_id, connected, exc)
            return
        if not answer.ok:
            who, status = seat.participant_id, answer.status
            log.info("participant %s presence (%s): the gateway answered %d", who, connected, status)
