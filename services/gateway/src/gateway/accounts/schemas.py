"""Request and response shapes of /api/auth and /api/users."""

import marshmallow as ma

from gateway.accounts.models import ROLES
from gateway.accounts.rules import PASSWORD_RULE, USERNAME_RULE
from gateway.platform.fields import Email, Line, Secret


class SignupSchema(ma.Schema):
    email = Email(required=True, validate=ma.validate.Length(max=254))
    username = Line(required=True, metadata={"description": USERNAME_RULE, "example": "mina_kim"})
    password = Secret(
        required=True, load_only=True, metadata={"description": PASSWORD_RULE, "example": "correct horse battery"}
    )


class LoginSchema(ma.Schema):
    """Sign in with an e-mail or a username, and the password."""

    email = Line(validate=ma.validate.Length(min=1, max=254), metadata={"example": "mina@example.com"})
    username = Line(validate=ma.validate.Length(min=1, max=254))
    password = Secret(required=True, load_only=True, validate=ma.validate.Length(max=1024))

    @ma.validates_schema
    def _one_identifier(self, data, **_):
        if bool(data.get("email")) == bool(data.get("username")):
            raise ma.ValidationError("Give either 'email' or 'username'.", "email")


class RefreshSchema(ma.Schema):
    refresh_token = Line(required=True, validate=ma.validate.Length(min=1, max=4096))


class CloseAccountSchema(ma.Schema):
    """The owner's confirmation."""

    password = Secret(
        load_only=True,
        validate=ma.validate.Length(max=1024),
        metadata={
            "description": "The account's current password; required unless the account signs in with Google only.",
            "example": "correct horse battery staple",
        },
    )


class TokenPairSchema(ma.Schema):
    access_token = ma.fields.String(metadata={"description": "A JWT (RS256) to send as 'Authorization: Bearer'."})
    refresh_token = ma.fields.String(metadata={"description": "Use once at /api/auth/refresh for the next pair."})
    token_type = ma.fields.String(metadata={"example": "Bearer"})
    expires_in = ma.fields.Integer(metadata={"description": "Seconds the access token lives."})
    refresh_expires_in = ma.fields.Integer(metadata={"description": "Seconds the refresh token lives."})


class UserSchema(ma.Schema):
    id = ma.fields.UUID()
    email = ma.fields.String()
    username = ma.fields.String()
    roles = ma.fields.List(ma.fields.String(metadata={"enum": list(ROLES)}))
    email_verified = ma.fields.Boolean()
    created_at = ma.fields.DateTime()
