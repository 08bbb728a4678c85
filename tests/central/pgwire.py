"""A stand-in PostgreSQL server that asks for a password (the test cluster trusts everyone)."""

from __future__ import annotations

import socket
import struct
import threading


class PasswordServer:
    """Speaks just enough of the PostgreSQL protocol to ask for a cleartext password,
    note what it was sent, and refuse it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.received: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                self._session(conn)

    @staticmethod
    def _read(conn: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = conn.recv(size - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _session(self, conn: socket.socket) -> None:
        try:
            while True:  # SSLRequest / GSSENCRequest are declined, then the real startup
                length, code = struct.unpack("!II", self._read(conn, 8))
                self._read(conn, length - 8)
                if code in (80877103, 80877104):
                    conn.sendall(b"N")
                    continue
                break
            conn.sendall(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
            kind = self._read(conn, 1)
            (length,) = struct.unpack("!I", self._read(conn, 4))
            body = self._read(conn, length - 4)
            if kind == b"p":
                self.received.append(body.rstrip(b"\0").decode())
            fields = b'SFATAL\0C28P01\0Mpassword authentication failed for user "bob"\0\0'
            conn.sendall(b"E" + struct.pack("!I", len(fields) + 4) + fields)
        except (ConnectionError, OSError, struct.error):
            return

    def close(self) -> None:
        self.sock.close()
