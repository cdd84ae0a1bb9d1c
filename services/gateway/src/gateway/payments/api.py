"""Applying and enrolling with a payment, completing, your payments, cancelling with a refund."""

from flask import make_response
from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.payments import service as payments
from gateway.payments.schemas import (
    CancelArgs,
    PayArgs,
    PaymentListArgs,
    PaymentPageSchema,
    PaymentSchema,
    RegisteredSchema,
    RegistrationSchema,
)
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, PREFER_PARAMETER, idempotent, preferred_wait
from gateway.platform.problems import problem

blp = Blueprint("payments", __name__, url_prefix="/api", description="Applications, enrolments and payments.")
require_json_bodies(blp)
PAY_HEADERS = [IDEMPOTENCY_PARAMETER, PREFER_PARAMETER]


def registered_answer(registered: payments.Registered):
    """202 while the payment is pending; with `Prefer: wait=N`, 201 once paid or 402 when declined."""
    body = RegisteredSchema().dump(registered)
    payment = registered.payment
    if payment is None:
        return make_response(body, 201)
    wait = preferred_wait(blp.deps.settings.max_prefer_wait_seconds)
    headers = {"Location": f"/api/payments/{payment.id}"}
    if wait:
        payment = payments.wait_for_outcome(blp.deps.db.uow(), payment.id, wait)
        body["payment"] = PaymentSchema().dump(payment)
        headers["Preference-Applied"] = f"wait={wait}"
        if payment.status == "paid":
            return make_response(body, 201, headers)
        if payment.status == "failed":
            detail = f"The payment was declined: {payment.failure_reason}. The registration is cancelled."
            return problem(402, detail, kind="payment-declined", headers=headers)
    return make_response(body, 202, headers)


def _pay_view(kind: str):
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(PayArgs())
    @blp.doc(parameters=PAY_HEADERS)
    @blp.response(202, RegisteredSchema, description="Registered; the payment is pending (follow Location)")
    @blp.alt_response(201, schema=RegisteredSchema, description="Paid (with Prefer: wait), or a free item")
    @blp.alt_response(402, description="Declined (with Prefer: wait)")
    @blp.alt_response(404, description="No such item")
    @blp.alt_response(409, description="Already registered, or the same Idempotency-Key is still running")
    @blp.alt_response(422, description="Outside the window, wrong amount, unknown method, or a reused key")
    def post(self, body, item_id: str):
        registered = payments.register(
            blp.deps.db.uow(),
            principal().user_id,
            payments.KINDS[kind],
            item_id,
            body["amount"],
            body["payment_method"],
        )
        return registered_answer(registered)

    return post


def _complete_view(kind: str):
    @authenticated(blp)
    @idempotent(blp)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(200, RegistrationSchema)
    @blp.alt_response(404, description="You have no registration for it")
    @blp.alt_response(409, description="Cancelled, or its payment is not paid yet")
    def post(self, item_id: str):
        return payments.complete(blp.deps.db.uow(), principal().user_id, payments.KINDS[kind], item_id)

    return post


@blp.route("/tests/<item_id>/apply")
class ApplyForTest(MethodView):
    post = _pay_view("test")
    post.__doc__ = "Apply for an exam, paying its price\n\nInside the exam's window only; `amount` must be its price."


@blp.route("/courses/<item_id>/enroll")
class EnrollInCourse(MethodView):
    post = _pay_view("course")
    post.__doc__ = (
        "Enroll in a course, paying its price\n\nInside the course's window only; `amount` must be its price."
    )


@blp.route("/tests/<item_id>/complete")
class CompleteTest(MethodView):
    post = _complete_view("test")
    post.__doc__ = "Mark your exam completed (its payment can no longer be cancelled)"


@blp.route("/courses/<item_id>/complete")
class CompleteCourse(MethodView):
    post = _complete_view("course")
    post.__doc__ = "Mark your course completed (its payment can no longer be cancelled)"


@blp.route("/me/payments")
class MyPayments(MethodView):
    @authenticated(blp)
    @blp.arguments(PaymentListArgs(), location="query")
    @blp.response(200, PaymentPageSchema)
    def get(self, args):
        """Your payments, newest first (filter by status and creation date)"""
        page, size = args["page"], args["page_size"]
        items, total = payments.list_payments(
            blp.deps.db.uow(),
            principal().user_id,
            page,
            size,
            args.get("status"),
            args.get("created_from"),
            args.get("created_to"),
        )
        return {"items": items, "page": page, "page_size": size, "total": total, "pages": -(-total // size)}


@blp.route("/payments/<payment_id>")
class PaymentById(MethodView):
    @authenticated(blp)
    @blp.response(200, PaymentSchema)
    @blp.alt_response(404, description="No such payment among yours")
    def get(self, payment_id: str):
        """One of your payments"""
        return payments.get_payment(blp.deps.db.uow(), principal().user_id, payment_id)


@blp.route("/payments/<payment_id>/cancel")
class CancelPayment(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(CancelArgs())
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(202, PaymentSchema, description="Cancelled; the refund is on its way (status becomes cancelled)")
    @blp.alt_response(404, description="No such payment among yours")
    @blp.alt_response(409, description="Completed, already cancelled, not paid yet, or a token purchase")
    def post(self, body, payment_id: str):
        """Cancel a paid exam or course before it is completed: the registration ends, the money is refunded"""
        payment = payments.cancel(blp.deps.db.uow(), principal().user_id, payment_id, body["reason"])
        return payment, 202
