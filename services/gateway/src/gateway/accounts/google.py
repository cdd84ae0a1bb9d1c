"""/api/auth/google: sign in with a Google account (OpenID Connect, authorization-code flow).

Three ways in. This server runs the redirect (`/login`, then the callback): authlib
keeps the state and nonce of a login in the Flask session cookie, checks the state
on the way back, exchanges the code and verifies the ID token (signature against
the provider's JWKS, iss, aud, exp, nonce). A front end runs the redirect itself
and posts the code as JSON to the callback; a mobile app posts the ID token Google
gave it (google_tokens checks both). The views turn failures into service-layer
errors; the accounts and sessions services do the rest.
"""

import contextlib
import logging

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from flask import current_app, request, url_for
from flask.views import MethodView
from joserfc.errors import JoseError

from gateway.accounts import google_tokens, sessions
from gateway.accounts import service as accounts
from gateway.accounts.google_tokens import described
from gateway.accounts.schemas import CodeGrantSchema, FormPostSchema, IdTokenSchema, TokenPairSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.errors import NotFound, Unauthenticated, Unavailable
from gateway.platform.http import JSON_TYPES
from gateway.platform.problems import problem

log = logging.getLogger(__name__)
OAUTH_REGISTRY = "authlib.integrations.flask_client"  # where authlib's OAuth(app) puts itself
NO_STORE = {"Cache-Control": "no-store"}  # tokens in a GET response must not be cached (RFC 6749 5.1)

blp = Blueprint("google-login", __name__, url_prefix="/api/auth/google", description="Sign in with a Google account.")
CALLBACK_BODY = {  # the callback takes either; the view dispatches on the content type
    "content": {
        "application/json": {"schema": CodeGrantSchema},
        "application/x-www-form-urlencoded": {"schema": FormPostSchema},
    }
}


@blp.before_request
def _json_or_form_post():
    """Bodies are JSON, but the callback also takes the provider's form post (response_mode=form_post)."""
    has_body = request.method == "POST" and (request.content_length or request.data)
    form_post = request.endpoint == f"{blp.name}.callback" and request.mimetype == "application/x-www-form-urlencoded"
    if has_body and not form_post and not (request.mimetype in JSON_TYPES or request.mimetype.endswith("+json")):
        return problem(415, f"Send the body as application/json (got '{request.mimetype or 'none'}').")
    return None


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

    @blp.doc(requestBody=CALLBACK_BODY)
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(
        401,
        description="A code refused at the provider (unknown, used, another client's or redirect "
        "URI's, a wrong PKCE verifier), a state that does not match, or a failed check of the ID token",
    )
    @blp.alt_response(404, description="Google login is not configured on this server")
    @blp.alt_response(415, description="Neither JSON nor a form")
    @blp.alt_response(422, description="A JSON body with a missing or malformed field, or a redirect URI not allowed")
    @blp.alt_response(429, description="Too many sign-in attempts from this address (see Retry-After)")
    @blp.alt_response(503, description="The provider could not be reached")
    def post(self):
        """Finish signing in with Google: a code a front end got itself (JSON), or the provider's form post

        A front end that runs Google's redirect itself posts `{code, redirect_uri, code_verifier?, nonce?}` as
        JSON: `redirect_uri` must be the one it sent Google, and one of GOOGLE_ALLOWED_REDIRECT_URIS; the code is
        exchanged once (a second use is refused), with the PKCE verifier when one was used. A form body is the
        provider's `response_mode=form_post` answer to a sign-in this server started at `/login`.
        """
        if request.mimetype == "application/x-www-form-urlencoded":
            return _finish(), 200, NO_STORE
        grant = blp.ARGUMENTS_PARSER.parse(CodeGrantSchema(), request, location="json")
        d = blp.deps
        d.throttle.provider_sign_in(request.remote_addr or "unknown")
        with _provider_outage():
            claims = google_tokens.exchange_code(
                _google(), d.settings.google_issuer, d.settings.google_allowed_redirect_uris, grant
            )
        return _sign_in(claims), 200, NO_STORE


@blp.route("/token", endpoint="token")
class IdToken(MethodView):
    @blp.arguments(IdTokenSchema(), example={"id_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiJ9.eyJpc3MiOi4uLn0.c2ln"})
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(401, description="A token that does not verify: signature, issuer, audience, expiry or nonce")
    @blp.alt_response(404, description="Google login is not configured on this server")
    @blp.alt_response(415, description="The body is not JSON")
    @blp.alt_response(422, description="A missing or malformed field")
    @blp.alt_response(429, description="Too many sign-in attempts from this address (see Retry-After)")
    @blp.alt_response(503, description="The provider could not be reached")
    def post(self, body):
        """Sign in with the ID token Google gave a mobile app: this platform's token pair

        The token must be signed by the provider's keys, issued by GOOGLE_ISSUER to GOOGLE_CLIENT_ID or one of
        GOOGLE_MOBILE_CLIENT_IDS (its `azp` too, when it names one), and unexpired; with `nonce`, it must carry
        that nonce. The e-mail address must be verified by Google.
        """
        settings = blp.deps.settings
        blp.deps.throttle.provider_sign_in(request.remote_addr or "unknown")
        audiences = [settings.google_client_id, *settings.google_mobile_client_ids]
        with _provider_outage():
            claims = google_tokens.verify_id_token(
                _google(), body["id_token"], settings.google_issuer, audiences, body.get("nonce")
            )
        return _sign_in(claims), 200, NO_STORE


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
    """The callback of a sign-in this server started: verified claims in, this platform's token pair out."""
    with _provider_outage():
        claims = _verified_claims(_google())
    return _sign_in(claims)


def _sign_in(claims: dict) -> sessions.TokenPair:
    """The account behind verified Google claims (found, linked or made), and a new session of it."""
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
        why = described(request.values["error"], request.values.get("error_description"))
        raise Unauthenticated(f"Google sign-in was not completed: {why}.", invalid_token=False)
    try:
        rules = google_tokens.id_token_rules(blp.deps.settings.google_issuer, client.client_id)
        token = client.authorize_access_token(claims_options=rules)
    except MismatchingStateError:
        detail = "The sign-in state is missing, expired or from another browser; start again at /api/auth/google/login."
        raise Unauthenticated(detail, invalid_token=False) from None
    except OAuthError as error:
        detail = f"Google refused the sign-in code: {described(error.error, error.description)}."
        raise Unauthenticated(detail, invalid_token=False) from None
    except JoseError as error:
        raise Unauthenticated(f"Google's ID token did not verify: {error}.", invalid_token=False) from None
    if not token.get("userinfo"):
        raise Unauthenticated("Google sent no ID token.", invalid_token=False)
    return token["userinfo"]
