"""/api/codes: the careers code table (résumé types, gender, military service, degrees, feedback divisions, ...)."""

import marshmallow as ma
from flask.views import MethodView

from gateway.accounts.guard import authenticated
from gateway.careers import rules
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.fields import Line

blp = Blueprint("codes", __name__, url_prefix="/api/codes", description="Careers: the code table.")
ROWS = [
    {"division": division, "code": code, "label_ko": label.ko, "label_en": label.en}
    for division, codes in rules.CODES.items()
    for code, label in codes.items()
]


class CodeArgs(ma.Schema):
    division = Line(
        validate=ma.validate.OneOf(rules.DIVISIONS),
        metadata={"description": "One division's codes (every division's without it); an unknown one is a 422"},
    )


class CodeSchema(FastDumpSchema):
    division = ma.fields.String(metadata={"example": "gender"})
    code = ma.fields.String(metadata={"example": "1"})
    label_ko = ma.fields.String(metadata={"example": "남성"})
    label_en = ma.fields.String(metadata={"example": "Male"})


class CodeListSchema(FastDumpSchema):
    items = ma.fields.List(ma.fields.Nested(CodeSchema))


@blp.route("")
class Codes(MethodView):
    @authenticated(blp)
    @blp.arguments(CodeArgs(), location="query")
    @blp.response(200, CodeListSchema)
    @blp.alt_response(422, description="An unknown division")
    def get(self, args):
        """The codes résumés, feedback, interviews and study guides use, with Korean and English labels"""
        division = args.get("division")
        return {"items": [row for row in ROWS if division is None or row["division"] == division]}
