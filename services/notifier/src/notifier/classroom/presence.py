"""Which learners have a socket open, over every replica, so the gateway hears when one goes and comes back.

The notifier records presence, because only it sees sockets close. Each learner socket holds an entry
(connection id -> expiry) in its participant's Redis hash, refreshed while it lives. When the client closes a
learner's last socket (or its network drops), the replica tells the gateway with the learner's own token
(`POST /api/sessions/{id}/presence {"connected": false}`: DISCONNECTED, `participant_left`) and marks the
learner gone; the learner's next socket to join, on any replica, finds the mark and says `{"connected": true}`
(back, `participant_joined`). A learner's first join costs the gateway nothing: joining over HTTP made them
present. A socket the server ends (shutdown, token expiry, a slow client) is no leave: the client reconnects at
once. A replica killed outright leaves its entries to expire: its learners reconnect elsewhere, never gone.
"""

import logging
import time

from notifier.classroom.gateway import Gateway, GatewayUnavailable, segment
from notifier.classroom.watchers import Seat

log = logging.getLogger(__name__)

# KEYS: the participant's hash, their gone mark. ARGV: connection id, expiry, now, ttl.
# 1 if the learner was marked gone and no other socket of theirs is live: they are back.
ARRIVE = """
local live = 0
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  if tonumber(entries[i + 1]) > tonumber(ARGV[3]) then live = 1 else redis.call('HDEL', KEYS[1], entries[i]) end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
if live == 0 and redis.call('DEL', KEYS[2]) == 1 then return 1 end
return 0
"""
# KEYS: the participant's hash, their gone mark. ARGV: connection id, now, mark's ttl, mark (1: the client left).
# 1 if that was their last live socket (and, when marking, the mark is set).
DEPART = """
redis.call('HDEL', KEYS[1], ARGV[1])
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  if tonumber(entries[i + 1]) > tonumber(ARGV[2]) then return 0 end
end
redis.call('DEL', KEYS[1])
if ARGV[4] == '1' then redis.call('SET', KEYS[2], '1', 'EX', ARGV[3]) end
return 1
"""
GONE_MARK_SECONDS = 24 * 3600


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
        now, key = int(time.time()), self.key(seat)
        back = await self._arrive(keys=[key, key + ":gone"], args=[connection_id, now + self.ttl, now, self.ttl])
        if back:
            await self._tell(seat, token, connected=True)

    async def depart(self, seat: Seat, connection_id: str, token: str | None) -> None:
        """The socket is gone; with `token` (the client ended it), the gateway hears if it was the learner's last."""
        key, mark = self.key(seat), "1" if token else "0"
        last = await self._depart(
            keys=[key, key + ":gone"], args=[connection_id, int(time.time()), GONE_MARK_SECONDS, mark]
        )
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
