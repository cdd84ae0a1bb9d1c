"""LLM providers behind one small port: `local` (offline default) and `openai`."""
