"""Byte-deterministic gzip: no file name, mtime 0, fixed level, so the same content gives
the same bytes on every run (given the same zlib)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import BinaryIO

LEVEL = 6  # gzip(1)'s default: a fair size/speed trade-off for multi-GB dumps


class GzipWriter:
    """A binary writer into ``path`` with a deterministic gzip header.

    ``write`` buffers small pieces so that zlib sees large blocks (it releases the GIL
    while compressing them)."""

    BUFFER = 1 << 20

    def __init__(self, path: str | Path, level: int = LEVEL) -> None:
        self.path = Path(path)
        self._raw: BinaryIO = open(self.path, "wb")
        # filename="" keeps GzipFile from recording the file's name in the header
        self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, compresslevel=level, mtime=0)
        self._buf: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> int:
        """Returns the bytes taken, as a file's write does (pyoxigraph's dump needs it)."""
        self._buf.append(bytes(data))
        self._size += len(data)
        if self._size >= self.BUFFER:
            self.flush_buffer()
        return len(data)

    def flush(self) -> None:
        self.flush_buffer()

    def writelines(self, lines: list[bytes]) -> None:
        self.write(b"".join(lines))

    def flush_buffer(self) -> None:
        if self._buf:
            self._gz.write(b"".join(self._buf))
            self._buf, self._size = [], 0

    def close(self) -> None:
        self.flush_buffer()
        self._gz.close()
        self._raw.close()

    def __enter__(self) -> "GzipWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def gzip_bytes(data: bytes, level: int = LEVEL) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=level, mtime=0) as gz:
        gz.write(data)
    return out.getvalue()


class ThreadedGzipWriter(GzipWriter):
    """A GzipWriter that compresses in its own thread (zlib releases the GIL), so several
    dump files compress in parallel with the producer. ``write`` blocks when the queue
    holds ``depth`` pending blocks."""

    def __init__(self, path: str | Path, level: int = LEVEL, depth: int = 8) -> None:
        import queue
        import threading

        super().__init__(path, level)
        self._q: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"gzip:{self.path.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (block := self._q.get()) is not None:
            if self._error is None:
                try:
                    self._gz.write(block)
                except BaseException as err:  # reported by close()
                    self._error = err

    def flush_buffer(self) -> None:
        if self._buf:
            self._q.put(b"".join(self._buf))
            self._buf, self._size = [], 0

    def close(self) -> None:
        self.flush_buffer()
        self._q.put(None)
        self._thread.join()
        self._gz.close()
        self._raw.close()
        if self._error is not None:
            raise self._error
