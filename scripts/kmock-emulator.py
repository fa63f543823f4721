"""kmock's Kubernetes API emulator (a third party's, from PyPI) on 127.0.0.1, for the interop test.

Prints the port it listens on, then serves until its parent process is gone (the test that
started it ended, however it ended) or it is sent SIGTERM. The emulator keeps objects in memory
with neither metadata.resourceVersion nor metadata.uid, and answers a watch with every object
as ADDED before the changes: what `KMockInteropTests` runs `kubelua run` against, hooks'
writes (`kube.patch`, `kube.event`) included.
"""
import asyncio
import os

import kmock


# What API discovery lists (kmock lists a resource with its kind only when it is declared; a
# real server lists them all): the pods, and the Events hooks record with kube.event.
VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']
RESOURCES = {
    'v1/pods': {'kind': 'Pod', 'singular': 'pod', 'namespaced': True, 'verbs': VERBS},
    'events.k8s.io/v1/events': {'kind': 'Event', 'singular': 'event', 'namespaced': True, 'verbs': VERBS},
}


async def main() -> None:
    parent = os.getppid()
    emulator = kmock.KubernetesEmulator()
    for resource, info in RESOURCES.items():
        emulator.resources[resource] = info
    async with kmock.Server(emulator) as server:
        print(server.port, flush=True)
        while os.getppid() == parent:
            await asyncio.sleep(1)


asyncio.run(main())
