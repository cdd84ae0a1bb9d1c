"""Payment providers behind one small port: `sandbox` (offline default) and `toss` (HTTP)."""
