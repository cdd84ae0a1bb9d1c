"""Real-time push: SSE and WebSocket on an asyncio server, fed by this replica's own broker queue."""
