"""/api/tests and /api/courses: browse the exam and course catalog."""

from flask_smorest import Blueprint

blp = Blueprint("catalog", __name__, url_prefix="/api", description="The exam and course catalog.")
