"""/api/users/me/profile: the caller's career profile (name, phone, address, birth date, gender, military service)."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.careers import profiles
from gateway.careers.profiles_schemas import CareerProfileBody, CareerProfileSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies

blp = Blueprint(
    "career-profile", __name__, url_prefix="/api/users", description="A job seeker's own profile (the careers line)."
)
require_json_bodies(blp)
EXAMPLE = {
    "name": "김하늘",
    "phone": "010-1234-5678",
    "birth_date": "1996-04-12",
    "gender": "2",
    "military_service": "6",
}


@blp.route("/me/profile")
class MyProfile(MethodView):
    @authenticated(blp)
    @blp.response(200, CareerProfileSchema)
    def get(self):
        """Your career profile (every field null until you set it)"""
        return profiles.get_profile(blp.deps.db.uow(), principal().user_id)

    @authenticated(blp)
    @blp.arguments(CareerProfileBody(), example=EXAMPLE, required=False)  # a partial update: no body changes nothing
    @blp.response(200, CareerProfileSchema)
    @blp.alt_response(415, description="The body is not JSON")
    @blp.alt_response(422, description="A field too long, a malformed phone number or date, an unknown code or field")
    def put(self, body):
        """Set your career profile: the fields given (null clears one); the others keep their values

        Gender and military service are codes of the code table (`GET /api/codes?division=gender`, `military_service`);
        the answer gives each code's Korean and English label. The profile is erased when the account closes.
        """
        return profiles.put_profile(blp.deps.db.uow(), principal().user_id, body)
