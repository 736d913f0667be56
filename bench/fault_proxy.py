"""A TCP proxy the fault bench can cut: the app reaches PostgreSQL through it (bench/faults.py).

`python -m bench.fault_proxy <upstream port>` prints its own port on the first line, then reads commands from stdin:
`cut <seconds>` resets every open connection and refuses new ones for that long, as a network cut or a PostgreSQL
restart would look to the app; it answers `cut` when the cut begins and `healed` when it ends. Closing stdin ends it.
"""
from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import threading
import time


class Proxy:
    """Pipes each accepted connection to the upstream port; while cut, resets them all."""

    def __init__(self, upstream: int):
        self.upstream = upstream
        self.open: set[asyncio.Transport] = set()
        self.cut_until = 0.0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if time.monotonic() < self.cut_until:
            abort(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream)
        except OSError:
            abort(writer)
            return
        self.open.update((writer.transport, up_writer.transport))
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer), return_exceptions=True)
        self.open.difference_update((writer.transport, up_writer.transport))

    def cut(self, seconds: float) -> None:
        """Reset every connection now and refuse new ones for `seconds`."""
        self.cut_until = time.monotonic() + seconds
        for transport in list(self.open):
            reset(transport)
        self.open.clear()


def reset(transport: asyncio.Transport) -> None:
    """Close with a RST, as a dead peer's kernel answers, not a polite FIN."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    transport.abort()


def abort(writer: asyncio.StreamWriter) -> None:
    reset(writer.transport)


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


def say(**message) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def main(upstream: int) -> None:
    loop = asyncio.get_running_loop()
    proxy = Proxy(upstream)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    say(port=server.sockets[0].getsockname()[1])
    done = loop.create_future()

    def control() -> None:
        for line in sys.stdin:
            command, _, value = line.partition(" ")
            if command == "cut":
                seconds = float(value)
                loop.call_soon_threadsafe(proxy.cut, seconds)
                loop.call_soon_threadsafe(lambda: say(cut=time.time()))
                loop.call_soon_threadsafe(loop.call_later, seconds, lambda: say(healed=time.time()))
        loop.call_soon_threadsafe(done.set_result, None)

    threading.Thread(target=control, daemon=True).start()
    await done
    server.close()


class CuttableProxy:
    """The proxy's process, seen from the bench: its port, and cuts on demand."""

    def __init__(self, upstream: int):
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.fault_proxy", str(upstream)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]))
        self.port = json.loads(self.proc.stdout.readline())["port"]

    def cut(self, seconds: float) -> tuple[float, float]:
        """Cut for `seconds`; returns (wall time the cut began, when it healed)."""
        self.proc.stdin.write(f"cut {seconds}\n")
        self.proc.stdin.flush()
        began = json.loads(self.proc.stdout.readline())["cut"]
        healed = json.loads(self.proc.stdout.readline())["healed"]
        return began, healed

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
