"""Style models read from the object store, the most recent kept in memory.

A model artifact never changes under its key (a new training writes a new
key), so a copy per process stays correct with any number of replicas.
"""

import collections
import threading

from llm_worker.studio.model import StyleModel
from shared.storage import ObjectStore


class ModelCache:
    """`load(key)` reads and parses a model once, then serves it from memory (LRU)."""

    def __init__(self, store: ObjectStore, size: int = 32):
        self._store = store
        self._size = size
        self._models: collections.OrderedDict[str, StyleModel] = collections.OrderedDict()
        self._lock = threading.Lock()

    def load(self, key: str) -> StyleModel:
        """The model under `key`; raises ObjectNotFound, StorageError or InvalidModel."""
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
        model = StyleModel.from_json(self._store.get(key))
        with self._lock:
            self._models[key] = model
            while len(self._models) > self._size:
                self._models.popitem(last=False)
        return model
