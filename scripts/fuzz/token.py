"""Signs in as the demo admin and issues an /api/v1 token for every department; prints it."""
import http.cookiejar
import sys
import urllib.parse
import urllib.request

base = sys.argv[1].rstrip("/")
password = sys.argv[2] if len(sys.argv) > 2 else "Tongban-Demo-2026"
jar = http.cookiejar.CookieJar()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def post(path, data):
    body = urllib.parse.urlencode(data).encode()
    headers = {"Origin": base, "Content-Type": "application/x-www-form-urlencoded"}
    try:
        return opener.open(urllib.request.Request(base + path, data=body, headers=headers))
    except urllib.error.HTTPError as e:
        return e


post("/api/staff_login", {"username": "admin", "password": password})
r = post("/api/issue_token", [("name", "schemathesis")] + [("departments[]", str(i)) for i in range(1, 7)])
# the new token is shown once on the tokens page the answer leads to
to = r.headers.get("location", "")
page = opener.open(urllib.request.Request(base + to)).read().decode("utf8")
if 'data-testid="new-token"' not in page:
    sys.exit(f"no token issued ({r.status} {to})")
shown = page.split('data-testid="new-token"', 1)[1]
print(shown.split("<code>", 1)[1].split("<", 1)[0])
