#!/usr/bin/env python3
"""A stand-in for the original's services: Python's SimpleXMLRPCServer (allow_none=True, as they were created)
on a free loopback port, with a few methods that answer what the original answered. Prints its port, then
serves until stdin closes. Used to check the Java client against a real Python server."""
import base64
import sys
import threading
import xmlrpc.client
from xmlrpc.server import SimpleXMLRPCServer


class Service:
    def resize_image(self, image_data, image_id, target_width, target_height, maintain_aspect_ratio):
        # the original's success struct, in its key order
        return {"success": True, "message": "Resized from 4x2 to %dx%d" % (target_width, target_height),
                "resized_image": xmlrpc.client.Binary(image_data.data[::-1]), "new_width": target_width,
                "new_height": target_height, "processing_time_ms": 7}

    def echo(self, value):
        return value

    def big(self, n):
        return xmlrpc.client.Binary(bytes(range(256)) * n)

    def nothing(self):
        return None

    def types(self, s, i, d, b, arr, st):
        return [type(v).__name__ for v in (s, i, d, b, arr, st)]


server = SimpleXMLRPCServer(("127.0.0.1", 0), allow_none=True, logRequests=False)
server.register_instance(Service())
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
