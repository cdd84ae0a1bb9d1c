"""Account rules: what a username, an e-mail and a password must be (pure functions)."""

import re

USERNAME_RULE = "3-30 characters: letters, digits, '.', '_' or '-', starting with a letter or digit"
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,29}$")
PASSWORD_MIN, PASSWORD_MAX = 10, 128
PASSWORD_RULE = (
    f"{PASSWORD_MIN}-{PASSWORD_MAX} characters, not one character repeated, "
    "not containing the username or the e-mail's name, not a commonly used password"
)
# The most common passwords of public breach lists that are long enough to pass the length rule.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "0987654321",
        "12345678910",
        "123456789a",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "qwertyuiop",
        "qwerty1234",
        "qwerty12345",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "iloveyou12",
        "abcdefghij",
        "abc1234567",
        "letmein123",
        "welcome123",
        "admin12345",
        "administrator",
        "football123",
        "baseball123",
        "changeme123",
        "trustno1234",
    }
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def username_problem(username: str) -> str | None:
    if not USERNAME.match(username):
        return f"Must be {USERNAME_RULE}."
    return None


def password_problem(password: str, username: str = "", email: str = "") -> str | None:
    """Why `password` is not acceptable (NIST SP 800-63B style: length and blocklists), or None."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        return f"Must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long."
    lowered = password.lower()
    if len(set(lowered)) == 1:
        return "Must not be one character repeated."
    if lowered in COMMON_PASSWORDS:
        return "Is a commonly used password; choose another."
    for part in (username.lower(), email.split("@", 1)[0].lower()):
        if len(part) >= 3 and part in lowered:
            return "Must not contain your username or e-mail."
    return None
