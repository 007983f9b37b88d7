"""The SMS conversation's cookie: Flask's signed session cookie, made cheaply.

Two costs of Flask's default cookie do nothing for a cookie this small (a state string
and a conversation id, about a hundred characters):

- Flask builds a new signing serializer twice on every request, once to read the cookie
  and once to write it. The keys cannot change while the app runs, so one serializer is
  built per set of keys and kept.
- itsdangerous tries zlib on every payload it writes, and setting up a deflate stream
  costs about 60 µs of CPU (a sixth of a whole SMS turn), to save a few bytes at most.
  The payload is written uncompressed; the reader still accepts compressed ones, so
  cookies written before this change (or by Flask's default) still restore the
  conversation.

The signature (HMAC with the secret key and Flask's salt), the JSON and the expiry are
exactly Flask's.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.serializer import Serializer


class _Uncompressed(URLSafeTimedSerializer):
    def dump_payload(self, obj) -> bytes:
        return base64_encode(Serializer.dump_payload(self, obj))


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._kept: tuple[tuple, _Uncompressed] | None = None  # (keys, their serializer)

    def get_signing_serializer(self, app: Flask) -> _Uncompressed | None:
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        if self._kept is None or self._kept[0] != keys:
            serializer = _Uncompressed(
                list(keys),  # itsdangerous signs with the last, and reads with any
                salt=self.salt,
                serializer=self.serializer,
                signer_kwargs={
                    "key_derivation": self.key_derivation,
                    "digest_method": self.digest_method,
                },
            )
            self._kept = (keys, serializer)
        return self._kept[1]
