"""/api/dashboard: the caller's careers at a glance."""

from datetime import UTC, datetime

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.careers import dashboard
from gateway.careers.dashboard_schemas import DashboardSchema
from gateway.platform.blueprint import Blueprint

blp = Blueprint("dashboard", __name__, url_prefix="/api/dashboard", description="A job seeker's careers at a glance.")


@blp.route("")
class Dashboard(MethodView):
    @authenticated(blp)
    @blp.response(200, DashboardSchema)
    def get(self):
        """Your dashboard: résumés, AI feedback and postings (in all and this week), latest résumés, activity"""
        return dashboard.get_dashboard(blp.deps.db.uow(), principal().user_id, datetime.now(UTC))
