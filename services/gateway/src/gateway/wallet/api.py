"""/api/tokens: the style studio's token wallet."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.payments import service as payments
from gateway.payments.schemas import PaymentSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, PREFER_PARAMETER, idempotent, preferred_wait
from gateway.platform.problems import problem
from gateway.wallet import service as wallet
from gateway.wallet.schemas import (
    BalanceSchema,
    PackageSchema,
    PurchaseArgs,
    TransactionArgs,
    TransactionPageSchema,
    encode_cursor,
)

blp = Blueprint("tokens", __name__, url_prefix="/api/tokens", description="The style studio's token wallet.")
require_json_bodies(blp)


@blp.route("/packages")
class Packages(MethodView):
    @blp.response(200, PackageSchema(many=True))
    def get(self):
        """Token packages for sale"""
        return wallet.list_packages(blp.deps.db.uow())


@blp.route("/purchase")
class Purchase(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(PurchaseArgs())
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER, PREFER_PARAMETER])
    @blp.response(202, PaymentSchema, description="The payment, pending; tokens are credited once it is paid")
    @blp.alt_response(201, schema=PaymentSchema, description="Paid and credited (with Prefer: wait)")
    @blp.alt_response(402, description="Declined (with Prefer: wait)")
    @blp.alt_response(404, description="No such package")
    def post(self, body):
        """Buy tokens: a package, or an amount in multiples of 100"""
        d = blp.deps
        payment = wallet.purchase(
            d.db.uow(),
            principal().user_id,
            body.get("package_id"),
            body.get("amount"),
            body["payment_method"],
            d.settings.token_price_won,
        )
        headers = {"Location": f"/api/payments/{payment.id}"}
        wait = preferred_wait(blp.deps.settings.max_prefer_wait_seconds)
        if wait:
            payment = payments.wait_for_outcome(d.db.uow(), payment.id, wait)
            headers["Preference-Applied"] = f"wait={wait}"
            if payment.status == "failed":
                return problem(
                    402,
                    f"The payment was declined: {payment.failure_reason}.",
                    kind="payment-declined",
                    headers=headers,
                )
        return payment, 201 if payment.status == "paid" else 202, headers


@blp.route("/balance")
class Balance(MethodView):
    @authenticated(blp)
    @blp.response(200, BalanceSchema)
    def get(self):
        """Your token balance"""
        return {"balance": wallet.get_balance(blp.deps.db.uow(), principal().user_id)}


@blp.route("/transactions")
class Transactions(MethodView):
    @authenticated(blp)
    @blp.arguments(TransactionArgs(), location="query")
    @blp.response(200, TransactionPageSchema)
    def get(self, args):
        """Your token ledger, newest first (cursor-paginated; filter by type)"""
        items = wallet.list_transactions(
            blp.deps.db.uow(), principal().user_id, args["limit"] + 1, args.get("before_id"), args.get("type")
        )
        more = len(items) > args["limit"]
        items = items[: args["limit"]]
        return {"items": items, "next_cursor": encode_cursor(items[-1].id) if more else None}
