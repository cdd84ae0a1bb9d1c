"""/api/api-keys: keys for machine clients, sent as 'Authorization: Bearer ak_...'."""

from flask.views import MethodView

from gateway.accounts import api_keys
from gateway.accounts.api_keys_schemas import ApiKeyCreatedSchema, ApiKeyCreateSchema, ApiKeySchema
from gateway.accounts.guard import authenticated, principal
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies

blp = Blueprint("api-keys", __name__, url_prefix="/api/api-keys", description="API keys for machine clients.")
require_json_bodies(blp)


@blp.route("")
class ApiKeys(MethodView):
    @authenticated(blp)
    @blp.arguments(ApiKeyCreateSchema())
    @blp.response(201, ApiKeyCreatedSchema)
    def post(self, body):
        """Create an API key (the key is in this answer only)"""
        created = api_keys.create_api_key(blp.deps.db.uow(), principal().user_id, body["name"])
        return created, 201, {"Location": f"/api/api-keys/{created.id}"}

    @authenticated(blp)
    @blp.response(200, ApiKeySchema(many=True))
    def get(self):
        """Your API keys (never the keys themselves)"""
        return api_keys.list_api_keys(blp.deps.db.uow(), principal().user_id)


@blp.route("/<key_id>")
class ApiKeyById(MethodView):
    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description="No such key among yours")
    def delete(self, key_id: str):
        """Delete an API key: it stops working at once"""
        api_keys.delete_api_key(blp.deps.db.uow(), principal().user_id, key_id)
