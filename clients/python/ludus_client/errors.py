"""Errors with the protocol's stable codes (``error.data.code``), as the TypeScript client raises them."""

from __future__ import annotations

from typing import Any, Mapping, Optional


class LudusError(Exception):
    """An error answered by the server, or raised by the client for the connection.

    ``code`` is the stable string code (``EPISODE_OVER``, ``SESSION_UNKNOWN``, ...; see
    docs/protocol.md section 7); branch on it, never on the message. ``rpc_code`` is the JSON-RPC
    number (None for client-side errors), ``data`` the error's extra detail.
    """

    def __init__(self, code: str, message: str, rpc_code: Optional[int] = None, data: Optional[Mapping[str, Any]] = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.rpc_code = rpc_code
        self.data = dict(data or {})

    @classmethod
    def from_rpc(cls, error: Mapping[str, Any]) -> "LudusError":
        data = error.get("data") or {}
        return cls(str(data.get("code", "REMOTE_ERROR")), str(error.get("message", "")), error.get("code"), data)

    def __repr__(self) -> str:
        return f"LudusError({self.code!r}, {self.message!r})"


class ConnectionClosed(LudusError):
    """The WebSocket closed: requests in flight fail with this (code ``CONNECTION_CLOSED``)."""

    def __init__(self, message: str, close_code: Optional[int] = None):
        super().__init__("CONNECTION_CLOSED", message, None, {"closeCode": close_code})


class RequestTimeout(LudusError):
    """No answer within the request timeout (code ``TIMEOUT``); the connection stays usable."""

    def __init__(self, method: str, seconds: float):
        super().__init__("TIMEOUT", f"{method}: no answer within {seconds:g} s. Raise the timeout, or check the server.", None, {"method": method, "timeoutS": seconds})
