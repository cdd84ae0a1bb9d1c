"""/api/webhook-endpoints: customers' URLs that receive events, signed the Standard Webhooks way."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.notifications import endpoints as webhook_endpoints
from gateway.notifications.endpoints_schemas import (
    DeliveryArgs,
    DeliverySchema,
    EndpointCreatedSchema,
    EndpointCreateSchema,
    EndpointSchema,
)
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies

blp = Blueprint(
    "webhook-endpoints", __name__, url_prefix="/api/webhook-endpoints", description="Outbound webhooks to your URLs."
)
require_json_bodies(blp)


@blp.route("")
class Endpoints(MethodView):
    @authenticated(blp)
    @blp.arguments(EndpointCreateSchema())
    @blp.response(201, EndpointCreatedSchema)
    @blp.alt_response(422, description="Not a public http(s) URL, or an unknown event type")
    def post(self, body):
        """Register an endpoint (its signing secret is in this answer only)"""
        d = blp.deps
        created = webhook_endpoints.create_endpoint(
            d.db.uow(),
            principal().user_id,
            body["url"],
            body["event_types"],
            body["description"],
            d.settings.webhook_allow_private_urls,
        )
        return created, 201, {"Location": f"/api/webhook-endpoints/{created.id}"}

    @authenticated(blp)
    @blp.response(200, EndpointSchema(many=True))
    def get(self):
        """Your endpoints"""
        return webhook_endpoints.list_endpoints(blp.deps.db.uow(), principal().user_id)


@blp.route("/<endpoint_id>")
class EndpointById(MethodView):
    @authenticated(blp)
    @blp.response(200, EndpointSchema)
    @blp.alt_response(404, description="No such endpoint among yours")
    def get(self, endpoint_id: str):
        """One of your endpoints"""
        return webhook_endpoints.get_endpoint(blp.deps.db.uow(), principal().user_id, endpoint_id)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description="No such endpoint among yours")
    def delete(self, endpoint_id: str):
        """Delete an endpoint: nothing more is sent to it"""
        webhook_endpoints.delete_endpoint(blp.deps.db.uow(), principal().user_id, endpoint_id)


@blp.route("/<endpoint_id>/test")
class TestEndpoint(MethodView):
    @authenticated(blp)
    @blp.response(202, DeliverySchema)
    @blp.alt_response(404, description="No such endpoint among yours")
    def post(self, endpoint_id: str):
        """Send a `webhook.test` event to the endpoint (follow it in its deliveries)"""
        delivery = webhook_endpoints.send_test(blp.deps.db.uow(), principal().user_id, endpoint_id)
        return webhook_endpoints.DeliveryView(delivery, []), 202


@blp.route("/<endpoint_id>/deliveries")
class Deliveries(MethodView):
    @authenticated(blp)
    @blp.arguments(DeliveryArgs(), location="query")
    @blp.response(200, DeliverySchema(many=True))
    @blp.alt_response(404, description="No such endpoint among yours")
    def get(self, args, endpoint_id: str):
        """The endpoint's latest deliveries, each attempt with its status code, latency and error"""
        return webhook_endpoints.list_deliveries(blp.deps.db.uow(), principal().user_id, endpoint_id, args["limit"])
