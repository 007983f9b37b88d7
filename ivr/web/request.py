"""The app's request: what werkzeug reads on every webhook request, read the short way.

Flask's request class, with two things read as werkzeug reads them but without its
general machinery, because every webhook turn pays for them:

- `form`: a urlencoded body is parsed from the bytes ivr.web.body.WholeBody already read
  and kept (`BODY`), by the same `parse_qsl` call werkzeug's form parser makes (same
  keys, values and order; the same treatment of bad escapes; a body that is not UTF-8
  is an empty form, as there), without its stream wrappers and its look-ups of the
  app's limits: WholeBody applied the limit before a byte was read. Any other body
  (another content type, a body WholeBody did not read) goes through werkzeug.
- `cookies`: the Cookie header a WSGI server passes as HTTP_COOKIE, parsed by
  werkzeug's own `parse_cookie`, without walking every key of the environ to find it
  (werkzeug's EnvironHeaders.getlist does).

tests/test_request.py holds both equal to werkzeug's for any body, content type and
cookie header.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qsl

from flask import Request
from werkzeug import urls  # noqa: F401 - registers the "werkzeug.url_quote" error handler
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.sansio.http import parse_cookie
from werkzeug.utils import cached_property

from ivr.web.body import BODY

URLENCODED = "application/x-www-form-urlencoded"


class Form(ImmutableMultiDict):
    """A parsed form. `getall` is the name twilio's RequestValidator asks a multi-valued
    form for first (werkzeug's is `getlist`); without it, every parameter's signature
    step raises and catches an AttributeError before trying `getlist`."""

    getall = ImmutableMultiDict.getlist


class WebhookRequest(Request):
    parameter_storage_class = Form

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        body = self.environ.get(BODY)
        if body is None or self.mimetype != URLENCODED:
            super()._load_form_data()  # werkzeug's own way, for everything else
            return
        try:
            # What werkzeug's FormDataParser._parse_urlencoded does with the same bytes.
            items = parse_qsl(body.decode(), keep_blank_values=True, errors="werkzeug.url_quote")
        except ValueError:
            items = []
        stream = io.BytesIO(body)
        stream.seek(len(body))  # read, as werkzeug leaves it
        d = self.__dict__
        d["stream"], d["form"], d["files"] = stream, Form(items), Form()

    @cached_property
    def cookies(self) -> ImmutableMultiDict[str, str]:
        # Werkzeug joins every "Cookie" its EnvironHeaders finds: in a WSGI environ that
        # is HTTP_COOKIE alone, so this is the same string, parsed the same way.
        return parse_cookie(self.environ.get("HTTP_COOKIE", ""), cls=self.dict_storage_class)
