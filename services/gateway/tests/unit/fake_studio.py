"""The studio's store in memory: the same methods as gateway.studio.store.StudioStore, over plain objects."""

from gateway.studio.store import StudioStore


class FakeStudioStore:
    port = StudioStore

    def __init__(self, styles=(), generations=()):
        self.styles = {style.id: style for style in styles}
        self.generations = {generation.id: generation for generation in generations}
        self.messages: list = []
        self.told: list[tuple] = []

    def style(self, style_id):
        return self.styles.get(style_id)

    def add_style(self, style) -> None:
        self.styles[style.id] = style

    def style_with_artist(self, style_id):
        return self.styles[style_id]

    def locked_style_with_artist(self, style_id):
        return self.styles.get(style_id)

    def locked_style(self, style_id):
        return self.styles.get(style_id)

    def add_generation(self, generation) -> None:
        self.generations[generation.id] = generation

    def loaded_generation(self, generation_id):
        return self.generations[generation_id]

    def generation_signed(self, signature_id: int):
        return next((g for g in self.generations.values() if g.signature_id == signature_id), None)

    def locked_generation(self, generation_id):
        return self.generations.get(generation_id)

    def count_generation(self, style_id) -> tuple[str, str]:
        style = self.styles[style_id]
        style.generation_count += 1
        return style.name, style.visibility

    def add_message(self, message) -> None:
        self.messages.append(message)

    def tell(self, user_id, event_type: str, facts: dict, subject_id: str) -> None:
        self.told.append((user_id, event_type, facts, subject_id))
