"""The WSGI floor: the smallest possible app, served by the same gunicorn settings."""


def app(environ, start_response):
    body = b"ok"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
