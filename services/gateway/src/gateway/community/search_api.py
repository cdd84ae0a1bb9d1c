"""/api/search: public trained styles and artists, in Korean or English."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, current_principal
from gateway.community import search
from gateway.community.search_schemas import SearchArgs, SearchSchema, encode_search_cursor
from gateway.platform.blueprint import Blueprint

blp = Blueprint("search", __name__, url_prefix="/api/search", description="The studio's community: search.")


def _section(kind: str, found: list, limit: int, score) -> dict:
    more, items = len(found) > limit, found[:limit]
    return {"items": items, "next_cursor": encode_search_cursor(kind, score(items[-1]), items[-1].id) if more else None}


@blp.route("")
class Search(MethodView):
    @authenticated(blp, optional=True)
    @blp.arguments(SearchArgs(), location="query")
    @blp.response(200, SearchSchema)
    def get(self, args):
        """Search styles (name, tags, description) and artists (username), best match first

        Every word of `q` matches as a word prefix (full-text, `simple`
        configuration) and, from three characters, the whole of `q` as a
        substring (trigram index), so Korean works without a dictionary: '수채'
        finds '수채화', and '수채화' finds '수채화풍'. One or two characters match
        word beginnings only (artists: the start of the username). `type=all`
        answers the first page of each type; page on with a section's
        `next_cursor` and that type.
        """
        q, kind, limit, cursor = args["q"], args["type"], args["limit"], args.get("cursor")
        after = cursor[1:] if cursor else None
        caller = current_principal()
        answer = {"q": q, "type": kind, "styles": None, "artists": None}
        if kind in ("all", "styles"):
            found = search.search_styles(blp.deps.db.uow(), blp.deps.store, q, limit + 1, after)
            answer["styles"] = _section("styles", found, limit, lambda style: style.search_score)
        if kind in ("all", "artists"):
            viewer = caller.user_id if caller else None
            found = search.search_artists(blp.deps.db.uow(), q, limit + 1, viewer, after)
            answer["artists"] = _section("artists", found, limit, lambda profile: profile.score)
        return answer
