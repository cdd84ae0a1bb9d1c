"""/api/health: liveness, and the state of every dependency."""

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.app import deps
from gateway.services.health import detailed_health

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Liveness and dependency checks.")


@blp.route("")
class Liveness(MethodView):
    @blp.response(200)
    def get(self):
        """Liveness: the process answers"""
        return {"status": "ok"}


@blp.route("/detailed")
class Detailed(MethodView):
    @blp.response(200)
    @blp.alt_response(503, description="A dependency is down")
    def get(self):
        """Postgres, RabbitMQ, the outbox backlog and each queue's depth"""
        report = detailed_health(deps().db, deps().settings)
        return report, 200 if report["status"] != "down" else 503
