"""The AI worker: GPT job chains (and, later, style training and image generation)."""
