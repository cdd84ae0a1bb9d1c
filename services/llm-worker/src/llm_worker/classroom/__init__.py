"""The classroom's AI work: why a learner is stuck on a step (help analysis), and what a recording shows (the steps
taken and where the user hesitated); offline rules by default, OpenAI structured output with a key."""
