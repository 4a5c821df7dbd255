"""Signs in as the demo admin and issues an /api/v1 token for every department; prints it."""
import base64
import hashlib
import hmac
import http.cookiejar
import os
import struct
import sys
import time
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




def totp(secret, at):
    """RFC 6238 (HMAC-SHA-1, 6 digits, 30 s) for the demo admin's public secret."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    n = struct.unpack(">I", mac[(mac[-1] & 15):][:4])[0] & 0x7FFFFFFF
    return f"{n % 1000000:06d}"


secret = os.environ.get("TONGBAN_DEMO_TOTP_SECRET", "TONGBANDEMOSECRETFORSTAFFSIGNINS")
r = post("/api/staff_login", {"username": "admin", "password": password})
# the admin's second factor; at the next 30-second step if another sign-in took this one's code
for attempt in range(3):
    if not r.headers.get("location", "").startswith("/staff/second-factor"):
        break
    if attempt:
        time.sleep(30 - time.time() % 30 + 0.3)
    r = post("/api/second_factor", {"code": totp(secret, time.time())})
if r.headers.get("location") != "/staff":
    sys.exit(f"the admin cannot sign in ({r.status} {r.headers.get('location')})")
r = post("/api/issue_token", [("name", "schemathesis")] + [("departments[]", str(i)) for i in range(1, 7)])
# the new token is shown once on the tokens page the answer leads to
to = r.headers.get("location", "")
page = opener.open(urllib.request.Request(base + to)).read().decode("utf8")
if 'data-testid="new-token"' not in page:
    sys.exit(f"no token issued ({r.status} {to})")
shown = page.split('data-testid="new-token"', 1)[1]
print(shown.split("<code>", 1)[1].split("<", 1)[0])
