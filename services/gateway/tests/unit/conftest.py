"""Makes the fakes (`fake_uow` and each line's fake store) importable by the unit tests."""

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
