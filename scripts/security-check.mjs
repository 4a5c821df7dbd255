// The project's own probes against a running Tongban (issue S): each request below should be
// refused, or answered safely; one that gets through is a failure and the exit code is 1.
//
//   node scripts/security-check.mjs http://127.0.0.1:3000
//
// The server must carry the demo data (TONGBAN_SEED_DEMO=true): the probes sign in as the demo
// staff. `scripts/security-check` starts a fresh release server for them and stops it after.

import { totp, untilNextStep } from "./totp.mjs";

const base = (process.argv[2] ?? process.env.TONGBAN_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
const STAFF_PASSWORD = process.env.TONGBAN_DEMO_STAFF_PASSWORD ?? "Tongban-Demo-2026";
const results = [];

function check(name, ok, detail = "") {
  results.push({ name, ok, detail });
  console.log(`${ok ? "ok  " : "FAIL"}  ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

/// A cookie jar per "browser".
function client(origin = base) {
  const jar = new Map();
  return {
    jar,
    async req(path, { method = "GET", form, headers = {}, origin: o = origin } = {}) {
      const h = { ...headers };
      if (o !== null) h.origin = o;
      if (jar.size) h.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
      let body;
      if (form) {
        body = new URLSearchParams(form).toString();
        h["content-type"] = "application/x-www-form-urlencoded";
      }
      const r = await fetch(base + path, { method, headers: h, body, redirect: "manual" });
      for (const c of r.headers.getSetCookie()) {
        const [pair] = c.split(";");
        const i = pair.indexOf("=");
        const [k, v] = [pair.slice(0, i), pair.slice(i + 1)];
        if (v === "" || /Max-Age=0/i.test(c)) jar.delete(k);
        else jar.set(k, v);
      }
      return r;
    },
  };
}

/// The flash a refused form left (errors and the notice), decoded.
function flash(c) {
  const raw = [...c.jar].find(([k]) => k.endsWith("tb_flash"))?.[1];
  if (!raw) return null;
  try {
    return JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

/// The codes this run's sign-ins used (a code is accepted once: the replay probe posts one again).
const usedCodes = [];

async function staff(username) {
  const c = client();
  const r = await c.req("/api/staff_login", { method: "POST", form: { username, password: STAFF_PASSWORD } });
  let to = r.headers.get("location") ?? "";
  // the demo's admin and approver: the second factor (their public demo secret)
  for (let i = 0; i < 3 && to.startsWith("/staff/second-factor"); i++) {
    if (i > 0) await new Promise((ok) => setTimeout(ok, untilNextStep()));
    const code = totp();
    const step = await c.req("/api/second_factor", { method: "POST", form: { code } });
    to = step.headers.get("location") ?? "";
    if (to === "/staff") usedCodes.push(code);
  }
  if (to !== "/staff") throw new Error(`${username} cannot sign in (${r.status} ${to})`);
  return c;
}

async function main() {
  const ready = await fetch(`${base}/readyz`).catch(() => null);
  if (!ready?.ok) {
    console.error(`no Tongban at ${base}`);
    process.exit(2);
  }

  // --- headers ---
  const home = await fetch(`${base}/`);
  const csp = home.headers.get("content-security-policy") ?? "";
  check("a content security policy with a nonce and no unsafe-inline script", /script-src[^;]*'nonce-/.test(csp) && !/script-src[^;]*'unsafe-inline'/.test(csp), csp);
  check("pages are not framed", home.headers.get("x-frame-options") === "DENY");
  check("no content sniffing", home.headers.get("x-content-type-options") === "nosniff");

  // --- CSRF: a write without this site's Origin ---
  const login = { username: "clerk", password: STAFF_PASSWORD };
  for (const [what, origin] of [
    ["no Origin", null],
    ["a forged Origin", "http://evil.example"],
    ["a look-alike Origin", `${base}.evil.example`],
  ]) {
    const r = await client().req("/api/staff_login", { method: "POST", form: login, origin });
    check(`a sign-in with ${what} is refused`, r.status === 403, `${r.status}`);
  }

  // --- open redirect after sign-in ---
  for (const next of ["//evil.example/", "/\t/evil.example", "https://evil.example/", "/\\evil.example", " //evil.example"]) {
    const r = await client().req("/api/staff_login", { method: "POST", form: { ...login, next } });
    const to = r.headers.get("location") ?? "";
    check(`next=${JSON.stringify(next)} stays on the site`, to.startsWith("/") && !to.startsWith("//") && !to.includes("evil"), to);
  }

  // --- authorization by duty (IDOR) ---
  const coreviewer = await staff("coreviewer");
  let seen = 0;
  let full = [];
  for (let id = 1; id <= 40; id++) {
    const r = await coreviewer.req("/api/staff_case", { method: "POST", form: { id: String(id) } });
    if (r.status !== 200) continue;
    const v = await r.json().catch(() => null);
    if (!v) continue;
    seen++;
    if (!String(v.applicant_number ?? "").includes("*")) full.push(id);
  }
  check("a co-reviewer reads no full ID number (only cases its task reached, masked)", full.length === 0, `cases ${full.join(", ")} of ${seen} seen`);
  const admin = await staff("admin");
  let adminSeen = 0;
  for (let id = 1; id <= 20; id++) {
    const r = await admin.req("/api/staff_case", { method: "POST", form: { id: String(id) } });
    if (r.status === 200 && (await r.json().catch(() => null))) adminSeen++;
  }
  check("an admin opens no case", adminSeen === 0, `${adminSeen} opened`);
  let docs = 0;
  const anon = client();
  for (let id = 1; id <= 20; id++) {
    const r = await anon.req(`/notices/${id}/acceptance.pdf`);
    if (r.status === 200) docs++;
  }
  check("nobody signed in reads a case's documents", docs === 0, `${docs} served`);
  const supervisor = await staff("supervisor");
  const grant = await supervisor.req("/api/admin_act", { method: "POST", form: { action: "role_add", id: "1", role: "admin", department: "1" } });
  check("a supervisor grants no role", grant.status === 403, `${grant.status}`);

  // --- the statistics' dates ---
  for (const q of ["from=262142-01-01", "from=2026-01-01&to=2099-12-31", "from=x", "dep=null"]) {
    const r = await supervisor.req(`/staff/stats?${q}`);
    const text = await r.text();
    check(`statistics ?${q} answer 400 with a message`, r.status === 400 && /日期|区间|部门|date|years/i.test(text), `${r.status}`);
  }

  // --- a parallel sign-in flood against one account ---
  const flood = client();
  const tries = await Promise.all(
    Array.from({ length: 10 }, () => {
      const c = client();
      return c.req("/api/staff_login", { method: "POST", form: { username: "approver", password: "wrong-wrong-wrong" } }).then(() => flash(c));
    }),
  );
  const checked = tries.filter((f) => f && JSON.stringify(f).includes("不正确")).length;
  check("10 parallel wrong passwords: no more than 5 are checked", checked <= 5, `${checked} checked`);
  // one after the other until refused: the sixth at the latest
  let refusedAt = null;
  for (let i = 1; i <= 6 && refusedAt === null; i++) {
    await flood.req("/api/staff_login", { method: "POST", form: { username: "approver", password: "wrong-wrong-wrong" } });
    if (JSON.stringify(flash(flood) ?? {}).includes("尝试次数过多")) refusedAt = i;
  }
  check("wrong passwords one by one are refused by the sixth", refusedAt !== null && refusedAt + checked <= 6, `refused at ${refusedAt}, ${checked} checked before`);
  const after = await flood.req("/api/staff_login", { method: "POST", form: { username: "approver", password: STAFF_PASSWORD } });
  const opened = (r) => /^\/staff($|\/second-factor)/.test(r.headers.get("location") ?? "");
  check("then even the right password waits", !opened(after), after.headers.get("location") ?? "");
  const spoofed = await flood.req("/api/staff_login", {
    method: "POST",
    form: { username: "approver", password: STAFF_PASSWORD },
    headers: { "x-forwarded-for": "203.0.113.9" },
  });
  check("a forged X-Forwarded-For does not reset it", !opened(spoofed), spoofed.headers.get("location") ?? "");

  // --- the second factor of an admin ---
  const half = client();
  const pending = await half.req("/api/staff_login", { method: "POST", form: { username: "admin", password: STAFF_PASSWORD } });
  check("an admin's right password asks for the second factor", (pending.headers.get("location") ?? "").startsWith("/staff/second-factor"), pending.headers.get("location") ?? "");
  const who = await (await half.req("/api/whoami", { method: "POST" })).text();
  check("the password step alone opens nothing", who === "null", who);
  const peek = await half.req("/api/staff_case", { method: "POST", form: { id: "1" } });
  const peeked = peek.status === 200 ? await peek.json().catch(() => null) : null;
  check("nor a case", !peeked, `${peek.status} ${JSON.stringify(peeked)?.slice(0, 80)}`);
  const replay = await half.req("/api/second_factor", { method: "POST", form: { code: usedCodes.at(-1) ?? "000000" } });
  check("a code used once is refused", replay.headers.get("location") !== "/staff" && JSON.stringify(flash(half) ?? {}).includes("已经用过"), JSON.stringify(flash(half)));
  let codeRefusedAt = null;
  for (let i = 1; i <= 7 && codeRefusedAt === null; i++) {
    const guess = String((Number(totp()) + 500_000) % 1_000_000).padStart(6, "0");
    await half.req("/api/second_factor", { method: "POST", form: { code: guess } });
    if (JSON.stringify(flash(half) ?? {}).includes("尝试次数过多")) codeRefusedAt = i;
  }
  check("guessed codes are throttled like passwords", codeRefusedAt !== null && codeRefusedAt <= 6, `refused at ${codeRefusedAt}`);

  // --- uploads without a session ---
  for (const id of [1, 2, 3]) {
    const up = await client().req(`/applications/${id}/files?material=id_card`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    const toLogin = up.status === 303 && (up.headers.get("location") ?? "").startsWith("/login");
    check(`an upload to draft ${id} with no session is refused`, toLogin || (up.status >= 400 && up.status < 500), `${up.status} ${up.headers.get("location") ?? ""}`);
    const files = await client().req(`/files/${id}`);
    check(`file ${id} is not served to nobody`, files.status >= 400 && files.status < 500, `${files.status}`);
  }

  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length} of ${results.length} probes held`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
