"""Request and response shapes of the token wallet."""

import base64

import marshmallow as ma

from gateway.platform.fields import INT64_MAX, Line
from gateway.wallet.models import TOKEN_TRANSACTION_TYPES
from shared.messages.payments import PAYMENT_METHODS


class PackageSchema(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    tokens = ma.fields.Integer()
    bonus_tokens = ma.fields.Integer()
    price = ma.fields.Integer(metadata={"description": "Whole won"})


class PurchaseArgs(ma.Schema):
    """A package, or an amount of tokens in multiples of 100."""

    package_id = Line(validate=ma.validate.Length(min=1, max=32))
    amount = ma.fields.Integer(
        strict=True,
        validate=ma.validate.Range(min=100, max=1_000_000),
        metadata={"description": "Tokens to buy, a multiple of 100 (priced at TOKEN_PRICE_WON each)"},
    )
    payment_method = ma.fields.String(required=True, validate=ma.validate.OneOf(PAYMENT_METHODS))

    @ma.validates_schema
    def _one_of(self, data, **_):
        if ("package_id" in data) == ("amount" in data):
            raise ma.ValidationError("Give either 'package_id' or 'amount'.", "package_id")
        if "amount" in data and data["amount"] % 100:
            raise ma.ValidationError("Must be a multiple of 100.", "amount")


class BalanceSchema(ma.Schema):
    balance = ma.fields.Integer()


class TransactionSchema(ma.Schema):
    id = ma.fields.Integer()
    type = ma.fields.String(metadata={"enum": list(TOKEN_TRANSACTION_TYPES)})
    amount = ma.fields.Integer(metadata={"description": "+ credited, - spent"})
    balance_after = ma.fields.Integer()
    reference = ma.fields.String(metadata={"description": "The payment or the piece of work it belongs to"})
    description = ma.fields.String()
    created_at = ma.fields.DateTime()


class TransactionArgs(ma.Schema):
    type = ma.fields.String(validate=ma.validate.OneOf(TOKEN_TRANSACTION_TYPES))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
    cursor = Line(validate=ma.validate.Length(max=64), metadata={"description": "next_cursor of a page"})

    @ma.post_load
    def _decode_cursor(self, data, **_):
        if "cursor" in data:
            data["before_id"] = decode_cursor(data.pop("cursor"))
        return data


class TransactionPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(TransactionSchema))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "Pass as ?cursor= for the next page"})


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"t{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if raw[0] == "t" and raw[1:].isascii() and raw[1:].isdigit() and int(raw[1:]) <= INT64_MAX:
            return int(raw[1:])  # an id the bigint column can hold: a larger one is no cursor of ours
    except (ValueError, UnicodeDecodeError, IndexError):
        pass
    raise ma.ValidationError("Not a cursor from this API.", "cursor")
