"""A unit of work over in-memory stores: what the services see of the database, without one."""

import copy


class FakeUnitOfWork:
    """Hands out fake stores by the real store's class; what is not committed is rolled back on exit."""

    def __init__(self, *stores):
        self._stores = {fake.port: fake for fake in stores}
        self.commits = 0
        self._saved: dict | None = None

    def __enter__(self):
        self._saved = {port: copy.deepcopy(vars(fake)) for port, fake in self._stores.items()}
        return self

    def __exit__(self, *exc) -> None:
        for port, state in self._saved.items():  # nothing committed since the last save: put it back
            vars(self._stores[port]).clear()
            vars(self._stores[port]).update(state)
        self._saved = None

    def commit(self) -> None:
        self.commits += 1
        self._saved = {port: copy.deepcopy(vars(fake)) for port, fake in self._stores.items()}

    def store(self, kind):
        return self._stores[kind]
