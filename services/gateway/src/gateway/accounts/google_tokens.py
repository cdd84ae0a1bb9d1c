"""What a front end or a mobile app brings back from Google by itself, checked before anyone is signed in.

A front end that ran Google's redirect posts the code with the redirect URI it
used (and its PKCE verifier): the URI must be one this server allows, and the
code is exchanged at the provider, which refuses it for another client, another
redirect URI, a wrong verifier or a second use. A mobile app posts the ID token
Google gave it: its signature is checked against the provider's keys, `iss`
against the issuer, `aud` (and `azp`) against the allowed client ids, `exp`.
"""

from authlib.integrations.base_client.errors import OAuthError
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from gateway.platform.errors import InvalidInput, Unauthenticated

LEEWAY = 60  # seconds of clock skew tolerated on exp and iat
ALGORITHMS = ["RS256"]  # Google signs ID tokens with RS256; the provider's metadata may narrow it


def issuers(configured: str) -> list[str]:
    """The configured issuer, in both forms Google documents for its ID tokens."""
    issuer = configured.rstrip("/")
    return [issuer, issuer.removeprefix("https://")]


def exchange_code(client, issuer: str, allowed_redirect_uris: list[str], grant: dict) -> dict:
    """The verified claims of the ID token the provider gives for `grant` (code, redirect_uri, code_verifier and
    nonce as the front end sent them); 422 for a redirect URI not allowed here, 401 for anything amiss."""
    if grant["redirect_uri"] not in allowed_redirect_uris:
        detail = "Not one of this server's allowed redirect URIs (GOOGLE_ALLOWED_REDIRECT_URIS)."
        raise InvalidInput(detail, "redirect_uri")
    extra = {"code_verifier": grant["code_verifier"]} if grant.get("code_verifier") else {}
    try:
        token = client.fetch_access_token(redirect_uri=grant["redirect_uri"], code=grant["code"], **extra)
    except OAuthError as error:
        detail = f"Google refused the sign-in code: {described(error.error, error.description)}."
        raise Unauthenticated(detail, invalid_token=False) from None
    if not token.get("id_token"):
        raise Unauthenticated("Google sent no ID token.", invalid_token=False)
    try:
        rules = id_token_rules(issuer, client.client_id)
        claims = client.parse_id_token(token, nonce=grant.get("nonce"), claims_options=rules, leeway=LEEWAY)
    except JoseError as error:
        raise Unauthenticated(f"Google's ID token did not verify: {error}.", invalid_token=False) from None
    return dict(claims)


def id_token_rules(issuer: str, client_id: str) -> dict:
    """`iss` must be the configured issuer and `aud` this client (authlib alone checks `aud` only via `azp`)."""
    return {"iss": {"essential": True, "values": issuers(issuer)}, "aud": {"essential": True, "value": client_id}}


def verify_id_token(client, id_token: str, issuer: str, audiences: list[str], nonce: str | None) -> dict:
    """The claims of an ID token Google issued to one of `audiences`, checked; 401 for anything amiss."""
    try:
        claims = _decoded(client, id_token)
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            iss={"essential": True, "values": issuers(issuer)},
            aud={"essential": True, "values": audiences},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
        ).validate(claims)
    except (JoseError, ValueError) as error:
        raise Unauthenticated(f"The ID token did not verify: {error}.", invalid_token=False) from None
    _check_party(claims, audiences)
    if nonce is not None and claims.get("nonce") != nonce:
        raise Unauthenticated("The ID token's nonce is not the one given.", invalid_token=False)
    return claims


def _decoded(client, id_token: str) -> dict:
    """The token's claims once its signature verifies with one of the provider's keys (fetched again once if its
    key id is new: the provider rotated its keys)."""
    algorithms = client.load_server_metadata().get("id_token_signing_alg_values_supported") or ALGORITHMS
    registry = JWSRegistry(algorithms=[alg for alg in algorithms if alg != "none"])
    try:
        return jwt.decode(id_token, KeySet.import_key_set(client.fetch_jwk_set()), registry=registry).claims
    except InvalidKeyIdError:
        return jwt.decode(id_token, KeySet.import_key_set(client.fetch_jwk_set(force=True)), registry=registry).claims


def _check_party(claims: dict, audiences: list[str]) -> None:
    """OpenID Connect Core 3.1.3.7: with several audiences, or an `azp`, the authorized party must be ours too."""
    audience = claims["aud"]
    several = isinstance(audience, list) and len(audience) > 1
    if (several or "azp" in claims) and claims.get("azp") not in audiences:
        raise Unauthenticated("The ID token was issued to another client (azp).", invalid_token=False)


def described(error: str | None, description: str | None) -> str:
    """An error code and description from the provider, shortened."""
    error = (error or "error")[:100]
    return f"{error} ({description.rstrip('.')[:200]})" if description else error
