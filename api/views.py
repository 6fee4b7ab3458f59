"""The API's front door: where each endpoint and the description live."""

from django.http import JsonResponse
from django.urls import reverse
from rest_framework.decorators import api_view, renderer_classes, schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.endpoints import ENDPOINTS
from core.public_urls import absolute_url


@api_view(["GET"])
@renderer_classes([JSONRenderer])
@schema(None)
def api_index(request):
    """Links to every endpoint and to the OpenAPI description."""
    endpoints = {
        name: absolute_url(reverse(f"api:{name}:listing")) for name in ENDPOINTS
    }
    return Response(
        {
            "endpoints": endpoints,
            "schema": absolute_url(reverse("api_schema")),
        }
    )


def not_found(request, path=""):
    """Any other address under /api/: a JSON 404 like the endpoints' own."""
    return JsonResponse(
        {"message": f"There is nothing at {request.path}; see {reverse('api_index')}"},
        status=404,
    )
