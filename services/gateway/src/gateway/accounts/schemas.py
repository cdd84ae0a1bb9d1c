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


PKCE_VERIFIER = ma.validate.Regexp(r"^[A-Za-z0-9._~-]{43,128}$", error="Not a PKCE code verifier (RFC 7636 4.1).")


class CodeGrantSchema(ma.Schema):
    """A code a front end got from Google itself, with what it sent along."""

    code = Line(required=True, validate=ma.validate.Length(min=1, max=2048), metadata={"example": "4/0AVG7fiQ..."})
    redirect_uri = Line(
        required=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={
            "description": "The redirect URI the front end sent Google; one of GOOGLE_ALLOWED_REDIRECT_URIS.",
            "example": "https://app.example.com/frontend/googleCallback",
        },
    )
    code_verifier = Line(
        validate=PKCE_VERIFIER,
        metadata={
            "description": "The PKCE verifier, when the front end sent Google a code_challenge.",
            "example": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        },
    )
    nonce = Line(
        validate=ma.validate.Length(min=1, max=256),
        metadata={"description": "The nonce the front end sent Google: the ID token must carry it."},
    )


class FormPostSchema(ma.Schema):
    """The provider's answer with response_mode=form_post, to a sign-in started at /api/auth/google/login."""

    code = Line()
    state = Line()
    error = Line()
    error_description = Line()


class IdTokenSchema(ma.Schema):
    """An ID token Google gave a mobile app."""

    id_token = Line(required=True, validate=ma.validate.Length(min=1, max=8192))
    nonce = Line(
        validate=ma.validate.Length(min=1, max=256),
        metadata={"description": "The nonce the app asked Google for: the ID token must carry it."},
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
