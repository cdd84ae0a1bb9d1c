"""The community's store in memory: the same methods as gateway.community.store.CommunityStore."""

import uuid
from datetime import datetime

from gateway.community.store import CommunityStore, Reacted


class FakeCommunityStore:
    port = CommunityStore

    def __init__(self, generations: list[Reacted] = (), users: dict[uuid.UUID, str] | None = None):
        self.generations = {generation.id: generation for generation in generations}
        self.usernames = dict(users or {})
        self.like_counts = dict.fromkeys(self.generations, 0)
        self.likes: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self.follows: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self.followers = dict.fromkeys(self.usernames, 0)
        self.following = dict.fromkeys(self.usernames, 0)
        self.notices: set[tuple[str, uuid.UUID, uuid.UUID]] = set()
        self.published: list[tuple[uuid.UUID, str, dict, str]] = []

    def generation(self, generation_id):
        return self.generations.get(generation_id)

    def add_notice(self, kind: str, about, actor_id, now: datetime) -> bool:
        new = (kind, about, actor_id) not in self.notices
        self.notices.add((kind, about, actor_id))
        return new

    def username(self, user_id) -> str | None:
        return self.usernames.get(user_id)

    def publish(self, owner_id, event_type: str, facts: dict, subject_id: str) -> None:
        self.published.append((owner_id, event_type, facts, subject_id))

    def add_like(self, generation_id, user_id, now: datetime) -> bool:
        new = (generation_id, user_id) not in self.likes
        self.likes.add((generation_id, user_id))
        return new

    def remove_like(self, generation_id, user_id) -> bool:
        there = (generation_id, user_id) in self.likes
        self.likes.discard((generation_id, user_id))
        return there

    def add_to_like_count(self, generation_id, step: int) -> int:
        self.like_counts[generation_id] += step
        return self.like_counts[generation_id]

    def like_count(self, generation_id) -> int:
        return self.like_counts[generation_id]

    def lock_follower_counts(self, user_ids) -> dict:
        return {user_id: self.followers[user_id] for user_id in user_ids if user_id in self.followers}

    def add_follow(self, follower_id, followee_id, now: datetime) -> bool:
        new = (follower_id, followee_id) not in self.follows
        self.follows.add((follower_id, followee_id))
        return new

    def remove_follow(self, follower_id, followee_id) -> bool:
        there = (follower_id, followee_id) in self.follows
        self.follows.discard((follower_id, followee_id))
        return there

    def add_to_follow_counts(self, follower_id, followee_id, step: int) -> int:
        self.following[follower_id] += step
        self.followers[followee_id] += step
        return self.followers[followee_id]
