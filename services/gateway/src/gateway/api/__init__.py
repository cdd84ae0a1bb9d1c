"""HTTP entrypoints: one folder per API area, schemas beside routes."""
