"""Request and response shapes of /api/generations/{id}/like."""

import marshmallow as ma

from gateway.fastpaths.dump import FastDumpSchema


class LikeSchema(FastDumpSchema):
    generation_id = ma.fields.UUID()
    liked = ma.fields.Boolean(metadata={"description": "Whether you like it now"})
    like_count = ma.fields.Integer(metadata={"description": "Its likes, yours included"})
