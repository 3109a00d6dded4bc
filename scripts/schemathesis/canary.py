"""A deliberately broken API for scripts/schemathesis/run.sh to point schemathesis at first, so
CI shows the checks bite: one operation answers 500, one a body its schema forbids, one another
content type than documented, one an undocumented status. schemathesis must fail on it.

    python3 canary.py PORT
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "canary", "version": "1"},
    "paths": {
        "/server-error": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/wrong-body": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}},
                    }
                }
            }
        },
        "/wrong-type": {
            "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}}
        },
        "/wrong-status": {
            "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}}
        },
    },
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, content_type, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/openapi.json":
            self.answer(200, "application/json", json.dumps(SPEC))
        elif path == "/server-error":
            self.answer(500, "application/json", "{}")
        elif path == "/wrong-body":
            self.answer(200, "application/json", json.dumps({"id": "not a number"}))
        elif path == "/wrong-type":
            self.answer(200, "text/plain", "{}")
        else:
            self.answer(418, "application/json", "{}")


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
