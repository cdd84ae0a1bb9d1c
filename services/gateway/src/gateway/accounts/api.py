"""/api/auth: sign up, sign in, refresh, sign out, who am I; /api/users/me: become an artist or an instructor, close
the account."""

from flask import jsonify, request
from flask.views import MethodView

from gateway.accounts import closure as account_closure
from gateway.accounts import service as accounts
from gateway.accounts import sessions
from gateway.accounts.guard import authenticated, principal
from gateway.accounts.schemas import (
    CloseAccountSchema,
    LoginSchema,
    RefreshSchema,
    SignupSchema,
    TokenPairSchema,
    UserSchema,
)
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Accounts, sessions and tokens.")
users = Blueprint("users", __name__, url_prefix="/api/users", description="Users and their roles.")
require_json_bodies(blp)
require_json_bodies(users)


def client_ip() -> str:
    return request.remote_addr or "unknown"


@blp.route("/signup")
class Signup(MethodView):
    @blp.arguments(SignupSchema())
    @blp.response(201, UserSchema)
    @blp.alt_response(409, description="The e-mail or username is already registered")
    @blp.alt_response(429, description="Too many sign-ups from this address (see Retry-After)")
    def post(self, body):
        """Create an account

        Passwords: see the `password` field. Also at `POST /api/auth/register`.
        """
        d = blp.deps
        d.throttle.signup(client_ip())
        user = accounts.signup(d.db.uow(), body["email"], body["username"], body["password"])
        return user, 201, {"Location": "/api/auth/me"}


@blp.route("/register")
class Register(Signup):
    """The same as /api/auth/signup (the original system's path)."""


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema())
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(401, description="Wrong credentials (the same answer for an unknown account)")
    @blp.alt_response(429, description="Too many attempts for this address or account (see Retry-After)")
    def post(self, body):
        """Sign in: an access token (15 min) and a refresh token (7 days)"""
        d = blp.deps
        identifier = body.get("email") or body["username"]
        return sessions.login(d.db.uow(), d.tokens, d.throttle, identifier, body["password"], client_ip())


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.arguments(RefreshSchema())
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(401, description="Invalid, expired or revoked; a reused token revokes its whole session")
    def post(self, body):
        """Trade a refresh token for the next pair (the old one is used up)"""
        d = blp.deps
        return sessions.refresh(d.db.uow(), d.tokens, d.revocations, body["refresh_token"])


@blp.route("/logout")
class Logout(MethodView):
    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(403, description="An API key has no session to sign out of")
    def post(self):
        """Sign out: revoke this session's refresh tokens and access tokens

        The session's open push streams (SSE, WebSocket) are closed within a second, and its access
        tokens are refused there too.
        """
        d = blp.deps
        sessions.logout(d.db.uow(), d.tokens, d.revocations, principal())


@blp.route("/me")
class Me(MethodView):
    @authenticated(blp)
    @blp.response(200, UserSchema)
    def get(self):
        """The signed-in user"""
        return accounts.get_user(blp.deps.db.uow(), principal().user_id)


@blp.route("/jwks")
class Jwks(MethodView):
    @blp.response(200)
    def get(self):
        """The public keys that verify this gateway's tokens (JWK Set)"""
        return jsonify(blp.deps.tokens.jwks())


@users.route("/me/upgrade-to-artist")
class UpgradeToArtist(MethodView):
    @authenticated(users)
    @users.response(200, UserSchema)
    def post(self):
        """Become an artist (may publish styles); idempotent"""
        return accounts.grant_role(users.deps.db.uow(), principal().user_id, "artist")


@users.route("/me/upgrade-to-instructor")
class UpgradeToInstructor(MethodView):
    @authenticated(users)
    @users.response(200, UserSchema)
    def post(self):
        """Become an instructor (may write lectures and run live sessions); idempotent"""
        return accounts.grant_role(users.deps.db.uow(), principal().user_id, "instructor")


@users.route("/me")
class CloseAccount(MethodView):
    @authenticated(users)
    @users.arguments(CloseAccountSchema(), example={"password": "correct horse battery staple"})
    @users.response(204)
    @users.alt_response(403, description="Wrong password, an API key, or (Google only) no recent sign-in")
    @users.alt_response(422, description="The password is missing")
    @users.alt_response(429, description="Too many attempts for this account or address (see Retry-After)")
    def delete(self, body):
        """Close your account

        Confirm with the current password (an account that signs in with Google only: sign in with
        Google again and close it within 5 minutes). At once, every session and API key of the account
        is revoked, its webhook endpoints are switched off, and every open push stream (SSE, WebSocket)
        of the account is closed; nobody can sign in to it again. The e-mail address, username,
        password and Google link are erased (the address may sign up again), and everything of the careers
        line is deleted (career profile, résumés, job postings, AI feedback, rewrites, interviews, study
        guides); jobs, payments, the wallet ledger and community content are kept under an anonymised name
        (`closed-...`).
        """
        d = users.deps
        account_closure.close_account(
            d.db.uow(), d.tokens, d.throttle, d.revocations, principal(), body.get("password"), client_ip(), d.erasers
        )
