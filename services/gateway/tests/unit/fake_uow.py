"""A unit of work over in-memory stores: what the services see of the database, without one."""

import copy


class FakeUnitOfWork:
    """Hands out fake stores by the real store's class; a transaction that does not commit leaves them as they were."""

    def __init__(self, *stores):
        self._stores = {fake.port: fake for fake in stores}
        self.commits = 0
        self._saved: dict | None = None
        self._commits_on_enter = 0

    def __enter__(self):
        self._saved = {port: copy.deepcopy(vars(fake)) for port, fake in self._stores.items()}
        self._commits_on_enter = self.commits
        return self

    def __exit__(self, *exc) -> None:
        if self.commits == self._commits_on_enter:  # rolled back: put every store back as it was
            for port, state in self._saved.items():
                vars(self._stores[port]).clear()
                vars(self._stores[port]).update(state)
        self._saved = None

    def commit(self) -> None:
        self.commits += 1

    def store(self, kind):
        return self._stores[kind]
