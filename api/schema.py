"""The OpenAPI schema: drf-spectacular's, with the error responses every operation can
give documented too, so that a client (and the schema fuzzing in CI) knows them."""

from drf_spectacular.openapi import AutoSchema

from api.serializers import ErrorSerializer

ERROR_CODES = {
    "400": "The request is invalid: the body, or a query parameter (a filter, a page).",
    "401": "Not signed in: send a session cookie or `Authorization: Token <key>`.",
    "403": "Signed in, but this role may not do this (or the CSRF check failed).",
    "404": "No such record, or no such page of the list.",
}


class RoundtableSchema(AutoSchema):
    def _get_serializer_field_meta(self, field, direction: str) -> dict:
        meta = super()._get_serializer_field_meta(field, direction)
        # DRF applies no default on a partial update (a field left out is skipped, so it
        # keeps its value), and a generated client sends every default it is shown: a
        # PATCH of one field would reset all the others. So Patched* components have none.
        if direction == "request" and getattr(field.root, "partial", False):
            meta.pop("default", None)
        return meta

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_CODES.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = description
                responses[code] = response
        return responses
