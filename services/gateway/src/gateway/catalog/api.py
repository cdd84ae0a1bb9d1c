"""/api/tests and /api/courses: browse the exam and course catalog."""

from flask import jsonify
from flask.views import MethodView

from gateway.accounts.guard import authenticated, current_principal
from gateway.catalog import service as catalog
from gateway.catalog.schemas import CatalogItemSchema, CatalogListArgs, CatalogPageSchema, item_json, page_json
from gateway.catalog.service import CATALOGS, Catalog, Listing
from gateway.platform.blueprint import Blueprint

blp = Blueprint("catalog", __name__, url_prefix="/api", description="The exam and course catalog.")

LIST_DOC = """List {plural}

Filters combine (AND). Pages by number (`page`; `page_size` 1-100, default 20) or
by cursor (`cursor` = the previous answer's `next_cursor`). With credentials, each
item says whether you already {verb} (`applied`).
"""
GET_DOC = """Read one {singular}

404 for an unknown id, or one that is not a positive integer.
"""


def _viewer_id():
    caller = current_principal()
    return caller.user_id if caller else None


def _register(kind: Catalog, singular: str, verb: str) -> None:
    """The same two views for each catalog: one implementation, documented per path."""

    class Items(MethodView):
        @authenticated(blp, optional=True)
        @blp.arguments(CatalogListArgs(), location="query")
        @blp.response(200, CatalogPageSchema)
        def get(self, listing: Listing):
            page = catalog.list_items(blp.deps.db.uow(), kind, listing, _viewer_id())
            return jsonify(page_json(page, listing))  # a Response: flask-smorest does not dump it again

    class Item(MethodView):
        @authenticated(blp, optional=True)
        @blp.response(200, CatalogItemSchema)
        @blp.alt_response(404, description=f"No such {singular}")
        def get(self, item_id: str):
            return jsonify(item_json(catalog.get_item(blp.deps.db.uow(), kind, item_id, _viewer_id())))

    Items.get.__doc__ = LIST_DOC.format(plural=kind.name.replace("tests", "exams"), verb=verb)
    Item.get.__doc__ = GET_DOC.format(singular=singular)
    blp.route(f"/{kind.name}", endpoint=f"{kind.name}")(Items)
    blp.route(f"/{kind.name}/<item_id>", endpoint=f"{kind.name}_item")(Item)


_register(CATALOGS["tests"], "exam", "applied")
_register(CATALOGS["courses"], "course", "enrolled")
