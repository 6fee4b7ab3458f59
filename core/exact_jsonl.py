"""JSON Lines that keep every timestamp to the microsecond: the archive's format.

Django's JSON encoder cuts datetimes and times to milliseconds, as JavaScript
reads them. Revisions, log entries and updates are ordered and shown by their
timestamps, so an archive keeps them exact. Django's own `jsonl` deserializer
reads the result.
"""

import datetime

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = jsonl.Deserializer
