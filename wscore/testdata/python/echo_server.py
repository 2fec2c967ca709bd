"""Echo server on Python's websockets (asyncio API, websockets >= 10).

usage: python3 echo_server.py deflate|plain
Prints the port it listens on, then serves until stdin is closed.
Besides echoing every message it answers three commands:
  close-me  closes with 4003 "py bye"
  ping-me   pings with b"py", waits for the pong, then sends "got-pong"
  frag-me   sends the text "pyfragments" in three fragments
"""
import asyncio
import sys

import websockets


async def handler(ws, *_):
    try:
        async for msg in ws:
            if msg == "close-me":
                await ws.close(4003, "py bye")
                return
            if msg == "ping-me":
                waiter = await ws.ping(b"py")
                await asyncio.wait_for(waiter, 10)
                await ws.send("got-pong")
                continue
            if msg == "frag-me":
                await ws.send(["py", "frag", "ments"])
                continue
            await ws.send(msg)
    except websockets.ConnectionClosed:
        pass


async def main():
    compression = "deflate" if sys.argv[1] == "deflate" else None
    async with websockets.serve(handler, "127.0.0.1", 0, compression=compression,
                                max_size=None, ping_interval=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


asyncio.run(main())
