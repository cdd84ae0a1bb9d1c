"""The string and integer fields every request schema is made of, so each refuses what it cannot store.

`Line` (names, titles, tags, e-mails, URLs, ids) and `Text` (descriptions,
comments, a job's text) refuse control characters and bidirectional overrides
with the field's own 422 (gateway/domain/text.py says which); `Secret`
(passwords) and `Output` (what a signed worker produced: a model's text
may hold any character, and refusing it would fail the job) refuse only what
cannot be stored, so any password once set still signs in. Each is a plain String with one validator put first, so the
compiled loader (gateway/api/fastload.py) runs the same check. Integers take
a bounded Range (COUNT, INT32, ...), never a number the column cannot hold;
in a JSON body they are strict, and a boolean is a `Flag`: JSON's own type only.
A test walks every request schema and fails on a string or integer field
that is not one of these.
"""

import marshmallow as ma

from gateway.platform.text import LINE, OPAQUE, TEXT, character_problem

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
INT32 = ma.validate.Range(min=-INT32_MAX - 1, max=INT32_MAX)
COUNT = ma.validate.Range(min=0, max=INT32_MAX)
POSITIVE = ma.validate.Range(min=1, max=INT32_MAX)


class Characters(ma.validate.Validator):
    """Refuses a string holding a character its kind of field does not take."""

    def __init__(self, refused):
        self.refused = refused

    def __call__(self, value: str) -> str:
        problem = character_problem(value, self.refused)
        if problem:
            raise ma.ValidationError(problem)
        return value


SINGLE_LINE, MULTI_LINE, STORABLE = Characters(LINE), Characters(TEXT), Characters(OPAQUE)


class Line(ma.fields.String):
    """One line of text: no control character, line break or bidirectional override."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.insert(0, SINGLE_LINE)


class Text(ma.fields.String):
    """Multi-line text: tabs and line breaks, but no other control character or bidirectional override."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.insert(0, MULTI_LINE)


class Secret(ma.fields.String):
    """A password: anything that can be stored (no NUL, no lone surrogate), never shown."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.insert(0, STORABLE)


class Output(ma.fields.String):
    """What a signed worker produced (model output, a failure's reason): anything storable, as it came."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.insert(0, STORABLE)


class Email(ma.fields.Email):
    """An e-mail address, on one line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.insert(0, SINGLE_LINE)


class Flag(ma.fields.Boolean):
    """A JSON body's boolean: true or false only (marshmallow's Boolean also takes 1, 0, "yes", "off", ...)."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


STRING_FIELDS = (
    Line,
    Text,
    Secret,
    Output,
)  # plain Strings to the compiled loader: their only difference is a validator
