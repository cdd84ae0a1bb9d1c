"""Applying and enrolling with a payment, completing, your payments, cancelling with a refund."""

from flask_smorest import Blueprint

blp = Blueprint("payments", __name__, url_prefix="/api", description="Applications, enrolments and payments.")
