"""/api/tokens: the style studio's token wallet."""

from flask_smorest import Blueprint

blp = Blueprint("tokens", __name__, url_prefix="/api/tokens", description="The style studio's token wallet.")
