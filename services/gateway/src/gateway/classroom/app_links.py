"""GET /.well-known/assetlinks.json: the Android apps (the learners' and instructors') that open this server's links,
such as a session's QR code, straight in the app (Digital Asset Links, from ANDROID_APP_PACKAGES and
ANDROID_APP_SHA256_FINGERPRINTS; an empty list when they are unset)."""

import marshmallow as ma
from flask.views import MethodView

from gateway.platform.blueprint import Blueprint

blp = Blueprint("app_links", __name__, url_prefix="/.well-known", description="Android app links.")
HANDLE_ALL_URLS = "delegate_permission/common.handle_all_urls"
CACHE_SECONDS = 3600


class AssetLinkTargetSchema(ma.Schema):
    namespace = ma.fields.String(metadata={"example": "android_app"})
    package_name = ma.fields.String(metadata={"example": "com.mobilegpt.student"})
    sha256_cert_fingerprints = ma.fields.List(
        ma.fields.String(),
        metadata={"example": [":".join(["14", "6D", "E9", "83"] * 8)]},
    )


class AssetLinkSchema(ma.Schema):
    relation = ma.fields.List(ma.fields.String(), metadata={"example": [HANDLE_ALL_URLS]})
    target = ma.fields.Nested(AssetLinkTargetSchema)


def statements(packages: list[str], fingerprints: list[str]) -> list[dict]:
    """One statement per app: it may handle every URL of this site, if signed with one of `fingerprints`."""
    return [
        {
            "relation": [HANDLE_ALL_URLS],
            "target": {"namespace": "android_app", "package_name": name, "sha256_cert_fingerprints": fingerprints},
        }
        for name in packages
    ]


@blp.route("/assetlinks.json")
class AssetLinks(MethodView):
    @blp.response(200, AssetLinkSchema(many=True), headers={"Cache-Control": {"description": "public, an hour"}})
    def get(self):
        """Digital Asset Links: the Android apps that open this server's links"""
        settings = blp.deps.settings
        found = statements(settings.android_app_packages, settings.android_app_sha256_fingerprints)
        return found, 200, {"Cache-Control": f"public, max-age={CACHE_SECONDS}"}
