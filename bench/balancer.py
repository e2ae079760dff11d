"""python -m bench.balancer: a small TCP round-robin balancer for local load tests (not for production).

Each incoming connection goes to the next backend in turn and is piped both ways until either side closes. A
Streamlit session lives on one websocket, i.e. one connection, so it stays on one viewer; a production balancer
should still keep a browser on one viewer (sticky sessions), because download buttons are served by the process
that drew them.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def serve(port: int, backends: list[tuple[str, int]]) -> None:
    """Accept on 127.0.0.1:port and spread connections over the backends, forever."""
    turn = itertools.cycle(backends)

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        host, backend_port = next(turn)
        try:
            server_r, server_w = await asyncio.open_connection(host, backend_port)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(_pipe(client_r, server_w), _pipe(server_r, client_w))

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    print(f"balancing 127.0.0.1:{port} over {len(backends)} backends", flush=True)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.balancer", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("backends", nargs="+", help="host:port of each viewer")
    args = parser.parse_args(argv)
    backends = [(b.rsplit(":", 1)[0], int(b.rsplit(":", 1)[1])) for b in args.backends]
    asyncio.run(serve(args.port, backends))
    return 0


if __name__ == "__main__":
    sys.exit(main())
