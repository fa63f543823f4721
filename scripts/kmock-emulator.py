"""kmock's Kubernetes API emulator (a third party's, from PyPI) on 127.0.0.1, for the interop test.

Prints the port it listens on, then serves until its parent process is gone (the test that
started it ended, however it ended) or it is sent SIGTERM. The emulator keeps objects in memory
with neither metadata.resourceVersion nor metadata.uid, and answers a watch with every object
as ADDED before the changes: what `KMockInteropTests` runs `kubelua run` against.
"""
import asyncio
import os

import kmock


async def main() -> None:
    parent = os.getppid()
    async with kmock.Server(kmock.KubernetesEmulator()) as server:
        print(server.port, flush=True)
        while os.getppid() == parent:
            await asyncio.sleep(1)


asyncio.run(main())
