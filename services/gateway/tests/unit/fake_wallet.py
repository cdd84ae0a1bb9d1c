"""The wallet's store in memory: the same methods as gateway.wallet.store.WalletStore."""

import dataclasses
import itertools
import uuid
from datetime import datetime

from gateway.wallet.store import Entry, Package, WalletStore


class FakeWalletStore:
    port = WalletStore

    def __init__(self, packages: list[Package] = ()):
        self.ledger: list[Entry] = []
        self.balances: dict[uuid.UUID, int] = {}
        self.packages = {package.id: package for package in packages}
        self.payments: list = []
        self.messages: list = []
        self._ids = itertools.count(1)

    def add_entry(self, user_id, kind: str, amount: int, reference: str, description: str, now: datetime):
        if any((e.user_id, e.type, e.reference) == (user_id, kind, reference) for e in self.ledger):
            return None
        entry = Entry(next(self._ids), user_id, kind, amount, 0, reference, description, now)
        self.ledger.append(entry)
        return entry.id

    def add_to_balance(self, user_id, amount: int, now: datetime) -> int:
        self.balances[user_id] = self.balances.get(user_id, 0) + amount
        return self.balances[user_id]

    def take_from_balance(self, user_id, amount: int, now: datetime) -> int | None:
        if user_id not in self.balances or self.balances[user_id] < amount:
            return None
        self.balances[user_id] -= amount
        return self.balances[user_id]

    def set_balance_after(self, entry_id: int, balance: int) -> None:
        self.ledger = [e if e.id != entry_id else dataclasses.replace(e, balance_after=balance) for e in self.ledger]

    def spent_on(self, user_id, work_id: str) -> int | None:
        found = [e.amount for e in self.ledger if (e.user_id, e.type, e.reference) == (user_id, "spend", work_id)]
        return found[0] if found else None

    def balance(self, user_id) -> int:
        return self.balances.get(user_id, 0)

    def active_packages(self) -> list[Package]:
        return sorted((p for p in self.packages.values() if p.active), key=lambda p: p.price)

    def package(self, package_id: str) -> Package | None:
        return self.packages.get(package_id)

    def entries(self, user_id, limit: int, before_id: int | None, kind: str | None) -> list[Entry]:
        mine = [e for e in reversed(self.ledger) if e.user_id == user_id and (not kind or e.type == kind)]
        return [e for e in mine if before_id is None or e.id < before_id][:limit]

    def add_payment(self, payment) -> None:
        self.payments.append(payment.id)  # ids: the fake keeps plain values

    def add_message(self, message) -> None:
        self.messages.append(message)
