"""/api/auth/google: sign in with a Google account (OpenID Connect, authorization-code flow).

authlib keeps the state and nonce of a login in the Flask session cookie, checks
the state on the way back, exchanges the code and verifies the ID token (signature
against the provider's JWKS, iss, aud, exp, nonce). The views turn its failures
into service-layer errors; the accounts and sessions services do the rest.
"""

import contextlib
import logging

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from flask import current_app, request, url_for
from flask.views import MethodView
from joserfc.errors import JoseError

from gateway.accounts import service as accounts
from gateway.accounts import sessions
from gateway.accounts.schemas import TokenPairSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.errors import NotFound, Unauthenticated, Unavailable

log = logging.getLogger(__name__)
OAUTH_REGISTRY = "authlib.integrations.flask_client"  # where authlib's OAuth(app) puts itself
NO_STORE = {"Cache-Control": "no-store"}  # tokens in a GET response must not be cached (RFC 6749 5.1)

# Form-encoded bodies are expected here (response_mode=form_post), so no require_json_bodies.
blp = Blueprint("google-login", __name__, url_prefix="/api/auth/google", description="Sign in with a Google account.")


@blp.route("/login", endpoint="login")
class Login(MethodView):
    @blp.response(302, description="To the provider's sign-in page; it comes back to the callback")
    @blp.alt_response(404, description="Google login is not configured on this server")
    @blp.alt_response(503, description="The provider could not be reached")
    def get(self):
        """Start signing in with Google: a redirect to its sign-in page"""
        # The callback URL is never taken from the request: that would be an open redirect.
        with _provider_outage():
            return _google().authorize_redirect(_callback_url())


@blp.route("/callback", endpoint="callback")
class Callback(MethodView):
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(401, description="Refused at the provider, a state that does not match, or a failed check")
    @blp.alt_response(404, description="Google login is not configured on this server")
    def get(self):
        """Finish signing in with Google: this platform's token pair"""
        return _finish(), 200, NO_STORE

    @blp.response(200, TokenPairSchema)
    @blp.alt_response(401, description="Refused at the provider, a state that does not match, or a failed check")
    @blp.alt_response(404, description="Google login is not configured on this server")
    def post(self):
        """Finish signing in with Google (response_mode=form_post)"""
        return _finish(), 200, NO_STORE


@contextlib.contextmanager
def _provider_outage():
    """The provider down or broken (metadata, keys or token endpoint) is an outage, not the caller's fault: 503."""
    try:
        yield
    except requests.RequestException as error:
        log.warning("Google login: the provider failed on %s: %r", request.path, error)
        raise Unavailable(
            "The sign-in provider could not be reached or answered with an error; try again shortly."
        ) from None


def _finish() -> sessions.TokenPair:
    """The callback: verified claims in, this platform's token pair out."""
    with _provider_outage():
        claims = _verified_claims(_google())
    if not claims.get("email"):
        raise Unauthenticated("Google did not share the account's e-mail address.", invalid_token=False)
    d = blp.deps
    uow = d.db.uow()
    verified = claims.get("email_verified") in (True, "true")
    user = accounts.upsert_google_user(
        uow, d.revocations, d.tokens.access_ttl, claims["sub"], claims["email"], verified, claims.get("name")
    )
    return sessions.start_session(uow, d.tokens, user)


def _google():
    """The registered Google client."""
    client = current_app.extensions[OAUTH_REGISTRY].create_client("google")
    if client is None:
        # 404 rather than 503: no client id is a deployment choice, not an outage, and a 503
        # would tell clients to retry something that will never start working on its own.
        raise NotFound("Google login is not configured on this server.")
    return client


def _callback_url() -> str:
    """Where the provider sends the browser back: the configured URL, else this server's callback."""
    return blp.deps.settings.google_redirect_uri or url_for(".callback", _external=True)


def _verified_claims(client) -> dict:
    """The claims of the ID token that came with the code, checked; 401 for anything amiss."""
    if request.values.get("error"):  # authlib looks for it in the query string only, not in a form_post
        described = _described(request.values["error"], request.values.get("error_description"))
        raise Unauthenticated(f"Google sign-in was not completed: {described}.", invalid_token=False)
    try:
        token = client.authorize_access_token(claims_options=_id_token_rules(client))
    except MismatchingStateError:
        detail = "The sign-in state is missing, expired or from another browser; start again at /api/auth/google/login."
        raise Unauthenticated(detail, invalid_token=False) from None
    except OAuthError as error:
        detail = f"Google refused the sign-in code: {_described(error.error, error.description)}."
        raise Unauthenticated(detail, invalid_token=False) from None
    except JoseError as error:
        raise Unauthenticated(f"Google's ID token did not verify: {error}.", invalid_token=False) from None
    if not token.get("userinfo"):
        raise Unauthenticated("Google sent no ID token.", invalid_token=False)
    return token["userinfo"]


def _described(error: str, description: str | None) -> str:
    """An error code and description from the provider, shortened."""
    return f"{error[:100]} ({description.rstrip('.')[:200]})" if description else error[:100]


def _id_token_rules(client) -> dict:
    """`iss` must be the configured issuer and `aud` this client (authlib alone checks `aud` only via `azp`)."""
    issuer = blp.deps.settings.google_issuer.rstrip("/")
    # Google documents both forms of its issuer in ID tokens.
    issuers = [issuer, issuer.removeprefix("https://")]
    return {"iss": {"essential": True, "values": issuers}, "aud": {"essential": True, "value": client.client_id}}
