"""Request and response shapes of /api/users/me/profile."""

from datetime import UTC, date, datetime

import marshmallow as ma

from gateway.careers import rules
from gateway.platform.fields import Line

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
# surrounding spaces are dropped and a blank clears the phone, so the documented pattern allows both
PHONE = ma.validate.Regexp(
    r"^\s*(\+?[0-9][0-9 ()-]*)?\s*$", error="Digits, spaces, hyphens and parentheses, an optional +."
)


def _text(maximum: int, *validators, **metadata) -> Line:
    return Line(allow_none=True, validate=[ma.validate.Length(max=maximum), *validators], metadata=metadata)


def _code(division: str) -> Line:
    known = rules.codes(division)
    listed = ", ".join(f"{code} {rules.CODES[division][code].en}" for code in known)
    description = f"A `{division}` code (GET /api/codes?division={division}): {listed}."
    return Line(allow_none=True, validate=ma.validate.OneOf(known), metadata={"description": description})


def _birth_date(value: date) -> None:
    today = datetime.now(UTC).date()
    if not EARLIEST_BIRTH_DATE <= value <= today:
        raise ma.ValidationError(f"Must be between {EARLIEST_BIRTH_DATE.isoformat()} and today.")


class CareerProfileBody(ma.Schema):
    """The fields to set: a field left out keeps its value, null clears it."""

    name = _text(rules.NAME_MAX, example="김하늘")
    phone = _text(rules.PHONE_MAX, PHONE, example="010-1234-5678")
    address = _text(rules.ADDRESS_MAX, example="서울특별시 강남구 테헤란로 123")
    birth_date = ma.fields.Date(allow_none=True, validate=_birth_date, metadata={"example": "1996-04-12"})
    gender = _code("gender")
    military_service = _code("military_service")

    @ma.pre_load
    def _tidy(self, data, **_):
        """Surrounding spaces dropped before the checks; a blank field is cleared."""
        if not isinstance(data, dict):
            return data  # marshmallow refuses it as it is
        limits = {"name": rules.NAME_MAX, "phone": rules.PHONE_MAX, "address": rules.ADDRESS_MAX}
        text = {  # a value over its limit is checked as sent, so the documented maxLength holds
            name: data[name].strip() or None
            for name, limit in limits.items()
            if isinstance(data.get(name), str) and len(data[name]) <= limit
        }
        return {**data, **text}


def _labels(division: str, code: str | None) -> dict | None:
    label = rules.label(division, code)
    return {"ko": label.ko, "en": label.en} if label else None


LABELS = {"type": "object", "properties": {"ko": {"type": "string"}, "en": {"type": "string"}}}


class CareerProfileSchema(ma.Schema):
    """The caller's career profile; every field is null until set."""

    name = ma.fields.String(allow_none=True, metadata={"example": "김하늘"})
    phone = ma.fields.String(allow_none=True, metadata={"example": "010-1234-5678"})
    address = ma.fields.String(allow_none=True, metadata={"example": "서울특별시 강남구 테헤란로 123"})
    birth_date = ma.fields.Date(allow_none=True, metadata={"example": "1996-04-12"})
    gender = ma.fields.String(allow_none=True, metadata={"example": "2"})
    gender_label = ma.fields.Function(
        lambda profile: _labels("gender", profile.gender),
        allow_none=True,
        metadata={**LABELS, "example": {"ko": "여성", "en": "Female"}},
    )
    military_service = ma.fields.String(allow_none=True, metadata={"example": "6"})
    military_service_label = ma.fields.Function(
        lambda profile: _labels("military_service", profile.military_service),
        allow_none=True,
        metadata={**LABELS, "example": {"ko": "해당없음", "en": "Not applicable"}},
    )
    updated_at = ma.fields.DateTime(allow_none=True, metadata={"description": "Null until the profile is first set"})
