"""Client on Python's websockets (asyncio API, websockets >= 10) for a
wscore echo server.

usage: python3 echo_client.py ws://host:port/ deflate|plain
Exits 0 and prints OK when every check passed; a failed check raises.
The server must echo messages and answer:
  ping-me   ping with b"srv", then "got-pong" once the pong arrived
  close-me  close with 4002 "server bye"
"""
import asyncio
import os
import sys

import websockets


async def main(uri, deflate):
    compression = "deflate" if deflate else None
    async with websockets.connect(uri, compression=compression, max_size=None,
                                  ping_interval=None) as ws:
        names = [e.name for e in ws.extensions]
        assert names == (["permessage-deflate"] if deflate else []), names

        await ws.send("hello, wörld")
        assert await ws.recv() == "hello, wörld"

        data = bytes(range(256)) * 4
        await ws.send(data)
        assert await ws.recv() == data

        await ws.send(["frag", "men", "ted ✓"])
        assert await ws.recv() == "fragmented ✓"
        await ws.send([b"\x00\x01", b"\x02"])
        assert await ws.recv() == b"\x00\x01\x02"

        big = os.urandom(16 << 20)
        await ws.send(big)
        got = await ws.recv()
        assert got == big, len(got)

        text = "compressible text " * 60000
        await ws.send(text)
        assert await ws.recv() == text

        waiter = await ws.ping(b"py-ping")
        await asyncio.wait_for(waiter, 10)

        await ws.send("ping-me")
        assert await ws.recv() == "got-pong"

        await ws.close(4001, "bye")
        assert ws.close_code == 4001, ws.close_code

    async with websockets.connect(uri, compression=compression, ping_interval=None) as ws:
        await ws.send("close-me")
        try:
            await ws.recv()
            raise AssertionError("no close")
        except websockets.ConnectionClosed as e:
            assert e.rcvd is not None and e.rcvd.code == 4002 and e.rcvd.reason == "server bye", e
    print("OK", flush=True)


asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2] == "deflate"), 60))
