"""Which characters a text field takes: control characters and bidirectional overrides are refused (pure).

A single-line value (a name, a title, a tag, an e-mail, a URL) takes no
control character at all (C0, DEL, C1), no line or paragraph separator, and
none of the bidirectional embedding, override and isolate characters that
can make a text display in another order than it reads ("Trojan Source",
CVE-2021-42574). A multi-line value (a description, a comment, a job's text)
takes tab, line feed and carriage return as well, and nothing else of those.
The implicit direction marks (U+200E, U+200F, U+061C) are kept: right-to-left
writing needs them and they reorder nothing on their own. A password refuses
only what cannot be stored (NUL, a lone surrogate): it is never shown.
"""

import re

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BREAKS = "\t\n\r\u2028\u2029"
_C0_C1 = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SURROGATES = "\ud800-\udfff"  # lone halves: never text, and they cannot be encoded to UTF-8
LINE = re.compile(f"[{BREAKS}{_C0_C1}{BIDI_CONTROLS}{_SURROGATES}]")
TEXT = re.compile(f"[{_C0_C1}{BIDI_CONTROLS}{_SURROGATES}]")
OPAQUE = re.compile(f"[\x00{_SURROGATES}]")  # only what cannot be stored: for passwords


def character_problem(value: str, refused: re.Pattern = LINE) -> str | None:
    """Why `value` cannot be taken because of a character `refused` matches, or None."""
    found = refused.search(value)
    if found is None:
        return None
    char = found.group()
    if char in BIDI_CONTROLS:
        kind = "a bidirectional control character"
    elif char in BREAKS:
        kind = "a line break or tab"
    elif "\ud800" <= char <= "\udfff":
        kind = "a lone surrogate"
    else:
        kind = "a control character"
    return f"Must not contain {kind} (U+{ord(char):04X} at position {found.start()})."
