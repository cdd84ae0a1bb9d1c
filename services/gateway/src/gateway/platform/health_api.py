"""/api/health: liveness for anyone, and the state of every dependency for the operator."""

from flask.views import MethodView

from gateway.platform.blueprint import Blueprint
from gateway.platform.health import detailed_health
from gateway.platform.operator import operator_only

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Liveness and dependency checks.")


@blp.route("")
class Liveness(MethodView):
    @blp.response(200)
    def get(self):
        """Liveness: the process answers"""
        return {"status": "ok"}


@blp.route("/detailed")
class Detailed(MethodView):
    @operator_only(blp)
    @blp.response(200)
    @blp.alt_response(503, description="A dependency is down")
    def get(self):
        """Postgres, RabbitMQ, the outbox backlog and each queue's depth (operators only: OPERATOR_TOKEN)"""
        report = detailed_health(blp.deps.db, blp.deps.settings)
        return report, 200 if report["status"] != "down" else 503
