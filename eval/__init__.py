"""`make eval`: the providers measured on hand-written evaluation sets (see eval/README.md)."""
