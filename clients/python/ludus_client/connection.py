"""One WebSocket connection to a ludus env server, speaking JSON-RPC 2.0 (docs/protocol.md).

Many requests may be in flight at once, from any thread: a reader thread routes each response
(and each element of a batch response) to its caller by ``id``, and each pushed notification
(``seat.turn``, ``game.over``) to the queue of the session it names.
"""

from __future__ import annotations

import itertools
import json
import queue
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from websockets.exceptions import ConnectionClosed as WsConnectionClosed
from websockets.sync.client import connect

from .errors import ConnectionClosed, LudusError, RequestTimeout

#: The largest frame the client accepts (a browser screenshot can be large).
MAX_FRAME_BYTES = 64 * 2**20

Call = Tuple[str, Mapping[str, Any]]


class Connection:
    """A connection; thread-safe. Use it as a context manager, or call :meth:`close`.

    >>> with Connection("ws://127.0.0.1:8765") as conn:
    ...     envs = conn.call("envs.list")["envs"]
    """

    def __init__(self, url: str, token: Optional[str] = None, *, timeout: float = 60.0, open_timeout: float = 10.0):
        headers = {"Authorization": f"Bearer {token}"} if token else None
        try:
            # entered as a context manager (websockets >= 17.1 wants that) and closed by close()
            self._ws = connect(url, additional_headers=headers, compression=None, max_size=MAX_FRAME_BYTES, open_timeout=open_timeout).__enter__()
        except OSError as err:
            raise ConnectionClosed(f"Cannot connect to {url}: {err}. Is `ludus serve` running there?") from err
        except Exception as err:  # handshake refused (401, 503 while draining, ...)
            raise ConnectionClosed(f"The server at {url} refused the connection: {err}") from err
        self.url = url
        self.timeout = timeout
        #: The server's limits, from the upgrade response headers.
        self.limits = {
            "protocol": self._ws.response.headers.get("X-Ludus-Protocol"),
            "maxPayload": int(self._ws.response.headers.get("X-Ludus-Max-Payload", "0") or 0),
            "maxBatch": int(self._ws.response.headers.get("X-Ludus-Max-Batch", "0") or 0),
        }
        self._ids = itertools.count(1)
        self._pending: Dict[int, Future] = {}
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._subscribers: Dict[str, List["queue.Queue[Dict[str, Any]]"]] = {}
        self._closed: Optional[ConnectionClosed] = None
        self._reader = threading.Thread(target=self._read, name="ludus-reader", daemon=True)
        self._reader.start()

    # -- requests -----------------------------------------------------------------------------

    def call(self, method: str, params: Optional[Mapping[str, Any]] = None, *, timeout: Optional[float] = None) -> Any:
        """Sends one request and waits for its result; raises :class:`LudusError` on an error."""
        (result,) = self._send([(method, params or {})], timeout, single=True)
        if isinstance(result, LudusError):
            raise result
        return result

    def batch(self, calls: Sequence[Call], *, timeout: Optional[float] = None) -> List[Any]:
        """Sends ``calls`` in one frame; returns their results in order, raising the first error."""
        results = self.batch_settled(calls, timeout=timeout)
        for r in results:
            if isinstance(r, LudusError):
                raise r
        return results

    def batch_settled(self, calls: Sequence[Call], *, timeout: Optional[float] = None) -> List[Union[Any, LudusError]]:
        """Like :meth:`batch`, but each failed request gives its :class:`LudusError` in place."""
        if not calls:
            return []
        return self._send(calls, timeout, single=False)

    def notify(self, method: str, params: Optional[Mapping[str, Any]] = None) -> None:
        """Sends a notification (no id): the server answers nothing."""
        self._write({"jsonrpc": "2.0", "method": method, "params": dict(params or {})})

    # -- pushed notifications -----------------------------------------------------------------

    def subscribe(self, session: str) -> "queue.Queue[Dict[str, Any]]":
        """A queue that receives every notification naming ``session`` (``seat.turn``, ``game.over``)."""
        q: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        with self._lock:
            self._subscribers.setdefault(session, []).append(q)
            if self._closed is not None:
                q.put({"method": "connection.closed", "params": {"message": str(self._closed)}})
        return q

    def unsubscribe(self, session: str, q: "queue.Queue[Dict[str, Any]]") -> None:
        with self._lock:
            subs = self._subscribers.get(session, [])
            if q in subs:
                subs.remove(q)
            if not subs:
                self._subscribers.pop(session, None)

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed is not None

    def close(self) -> None:
        """Closes the connection; the server closes every session it carried."""
        try:
            self._ws.close()
        finally:
            self._reader.join(timeout=5)
            self._fail_all(ConnectionClosed("The connection was closed by the client."))

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------

    def _send(self, calls: Sequence[Call], timeout: Optional[float], single: bool) -> List[Union[Any, LudusError]]:
        requests = []
        futures: List[Future] = []
        with self._lock:
            if self._closed is not None:
                raise self._closed
            for method, params in calls:
                rid = next(self._ids)
                fut: Future = Future()
                self._pending[rid] = fut
                futures.append(fut)
                requests.append({"jsonrpc": "2.0", "id": rid, "method": method, "params": dict(params)})
        try:
            self._write(requests[0] if single else requests)
        except LudusError:
            self._forget(requests)
            raise
        wait = self.timeout if timeout is None else timeout
        out: List[Union[Any, LudusError]] = []
        for req, fut in zip(requests, futures):
            try:
                out.append(fut.result(timeout=wait))
            except FutureTimeout:
                self._forget(requests)
                raise RequestTimeout(req["method"], wait) from None
            except LudusError as err:
                if isinstance(err, ConnectionClosed):
                    raise
                out.append(err)
        return out

    def _forget(self, requests: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            for r in requests:
                self._pending.pop(r["id"], None)

    def _write(self, message: Any) -> None:
        text = json.dumps(message, separators=(",", ":"))
        try:
            with self._send_lock:
                self._ws.send(text)
        except WsConnectionClosed as err:
            raise ConnectionClosed(f"The connection to {self.url} is closed ({err}).", getattr(err.rcvd, "code", None)) from err

    def _read(self) -> None:
        reason: ConnectionClosed
        try:
            for frame in self._ws:
                try:
                    message = json.loads(frame)
                except ValueError:
                    continue
                for item in message if isinstance(message, list) else [message]:
                    self._dispatch(item)
            reason = ConnectionClosed(f"The server at {self.url} closed the connection.", self._close_code())
        except WsConnectionClosed as err:
            reason = ConnectionClosed(f"The connection to {self.url} dropped ({err}).", getattr(err.rcvd, "code", None))
        except Exception as err:  # pragma: no cover - a bug in the reader must not hang callers
            reason = ConnectionClosed(f"The connection reader failed: {err!r}")
        self._fail_all(reason)

    def _close_code(self) -> Optional[int]:
        rcvd = getattr(self._ws.protocol, "close_rcvd", None)
        return getattr(rcvd, "code", None)

    def _dispatch(self, item: Any) -> None:
        if not isinstance(item, dict):
            return
        if "id" in item and ("result" in item or "error" in item):
            with self._lock:
                fut = self._pending.pop(item["id"], None)
            if fut is None:
                return
            if "error" in item:
                fut.set_exception(LudusError.from_rpc(item["error"]))
            else:
                fut.set_result(item["result"])
            return
        method = item.get("method")
        params = item.get("params") or {}
        if isinstance(method, str) and isinstance(params, dict):
            with self._lock:
                subs = list(self._subscribers.get(str(params.get("session")), []))
            for q in subs:
                q.put({"method": method, "params": params})

    def _fail_all(self, reason: ConnectionClosed) -> None:
        with self._lock:
            if self._closed is None:
                self._closed = reason
            pending = list(self._pending.values())
            self._pending.clear()
            subs = [q for qs in self._subscribers.values() for q in qs]
        for fut in pending:
            if not fut.done():
                fut.set_exception(reason)
        for q in subs:
            q.put({"method": "connection.closed", "params": {"message": str(reason)}})
