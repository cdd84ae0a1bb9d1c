"""A local OpenID Connect provider for the sign-in tests, driven over HTTP the way a browser and an app would.

oidc-provider-mock does the protocol (authorization codes used once and bound to their client and redirect URI,
RS256 ID tokens, its JWKS) but ignores PKCE; `PkceChecks` in front of it remembers each code's challenge and
refuses a token request whose verifier does not match it (RFC 7636 4.6), or that brings a verifier for a code
issued without a challenge (RFC 9700 4.8), with the provider's own `invalid_grant`. `Provider.sign` signs claims
with the provider's own key: the tokens it would never issue (expired, for several audiences, another `azp`).
"""

import base64
import contextlib
import hashlib
import io
import json
import secrets
import threading
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

import flask
import oidc_provider_mock
import requests
import werkzeug.serving
from joserfc import jwt
from joserfc.jwk import RSAKey

CALLBACK = "/api/auth/google/callback"


class PkceChecks:
    """WSGI middleware: the PKCE checks of the token endpoint, in front of the provider."""

    def __init__(self, app):
        self.app = app
        self.challenges: dict[str, tuple[str, str] | None] = {}
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == "/oauth2/authorize" and method == "POST":
            return self._authorize(environ, start_response)
        if path == "/oauth2/token" and method == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
            if form.get("grant_type") == "authorization_code" and not self._verified(form):
                payload = json.dumps({"error": "invalid_grant", "error_description": "Code challenge failed."})
                start_response("400 BAD REQUEST", [("Content-Type", "application/json")])
                return [payload.encode()]
        return self.app(environ, start_response)

    def _authorize(self, environ, start_response):
        query = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        challenge = None
        if query.get("code_challenge"):
            challenge = (query["code_challenge"], query.get("code_challenge_method", "plain"))

        def remember(status, headers, exc_info=None):
            location = dict(headers).get("Location", "")
            for code in parse_qs(location.partition("?")[2]).get("code", []):
                with self.lock:
                    self.challenges[code] = challenge
            return start_response(status, headers, exc_info)

        return self.app(environ, remember)

    def _verified(self, form: dict) -> bool:
        with self.lock:
            challenge = self.challenges.get(form.get("code", ""))
        verifier = form.get("code_verifier")
        if challenge is None:
            return verifier is None
        value, method = challenge
        return verifier is not None and (s256(verifier) if method == "S256" else verifier) == value


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass(frozen=True)
class Provider:
    issuer: str
    key: RSAKey

    def sign(self, claims: dict) -> str:
        """An ID token with these claims, signed with the provider's key."""
        return jwt.encode({"alg": "RS256"}, claims, self.key)


@contextlib.contextmanager
def provider():
    """A provider on a free port, in a thread."""
    mock = oidc_provider_mock.app()
    with mock.test_request_context():
        mock.preprocess_request()  # its storage, with its signing key, is set up per request
        key = RSAKey.import_key(flask.g.oidc_provider_mock_storage.jwk.as_dict(is_private=True))
    server = werkzeug.serving.make_server("localhost", 0, PkceChecks(mock), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield Provider(f"http://localhost:{server.server_port}", key)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


class App:
    """A front end or a mobile app that talks to the provider itself."""

    def __init__(self, issuer: str, client_id: str):
        self.issuer, self.client_id = issuer, client_id

    def person(self, sub: str, **claims) -> None:
        """The provider's user `sub`, with these claims."""
        assert requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=5).status_code == 204

    def code(self, sub: str, redirect_uri: str, verifier: str | None = None, nonce: str | None = None) -> str:
        """Run the redirect as `sub` signs in: the code the provider sends back to `redirect_uri`."""
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid email profile",
            "state": secrets.token_urlsafe(8),
        }
        if verifier:
            query |= {"code_challenge": s256(verifier), "code_challenge_method": "S256"}
        if nonce:
            query["nonce"] = nonce
        url = f"{self.issuer}/oauth2/authorize?{urlencode(query)}"
        answer = requests.post(url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert answer.status_code == 302, answer.text
        where, _, query = answer.headers["Location"].partition("?")
        assert where == redirect_uri
        return parse_qs(query)["code"][0]

    def id_token(self, sub: str, redirect_uri: str = "com.example.app:/oauth2redirect", nonce: str | None = None):
        """The ID token the provider gives this app for `sub` (the app exchanges the code itself)."""
        code = self.code(sub, redirect_uri, nonce=nonce)
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        answer = requests.post(f"{self.issuer}/oauth2/token", data=form, auth=(self.client_id, "app"), timeout=5)
        assert answer.status_code == 200, answer.text
        return answer.json()["id_token"]


def new_verifier() -> str:
    return secrets.token_urlsafe(48)
