// What a browser downloads on the critical path of each page kind: the wasm, JS and CSS it fetches
// (bytes on the wire, brotli as the server sends them), measured in Chromium against a running
// release server (BASE). Budgets per page kind (issue G); exits non-zero when one is over.
// Usage: BASE=http://127.0.0.1:3005 node size-report.mjs
import { base, launch, login } from "./shots-lib.mjs";

const KB = 1024;
const budgets = { home: 100, guide: 100, progress: 100, login: 100, register: 100, editor: 150, "back-office case": 150 };

async function measure(page, path) {
  const seen = [];
  const onResponse = async (r) => {
    const url = new URL(r.url());
    if (!/\.(wasm|js|css)$/.test(url.pathname)) return;
    const sizes = await r.request().sizes().catch(() => null);
    seen.push({ file: url.pathname.split("/").pop(), bytes: sizes ? sizes.responseBodySize : 0 });
  };
  page.on("response", onResponse);
  await page.goto(base + path);
  await page.locator("body[data-hydrated]").waitFor({ state: "attached", timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  page.off("response", onResponse);
  return seen;
}

const browser = await launch();
// every page in a context of its own (an empty cache), signed in as `from` is when given
const fresh = async (from) =>
  (await browser.newContext({ locale: "zh-CN", storageState: from ? await from.context().storageState() : undefined })).newPage();
const rows = [];
const add = async (kind, page, path) => rows.push({ kind, path, files: await measure(page, path) });

await add("home", await fresh(), "/");
await add("guide", await fresh(), "/items/ZRZY-001");
await add("progress", await fresh(), "/progress");
await add("login", await fresh(), "/login");
await add("register", await fresh(), "/register");

// the applicant's editor: the demo applicant starts a draft
const applicant = await fresh();
await applicant.goto(base + "/login");
await applicant.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill("11010519491231002X");
await applicant.getByLabel("密码").fill("Shenqing-Demo-2026");
await applicant.getByRole("button", { name: "登录" }).click();
await applicant.waitForURL(/\/account$/);
await applicant.goto(base + "/items/ZRZY-004");
await applicant.getByTestId("apply").click();
await applicant.waitForURL(/\/applications\/\d+$/);
const editor = new URL(applicant.url()).pathname;
await add("editor", await fresh(applicant), editor);

const clerk = await login(browser, "clerk");
await clerk.goto(base + "/staff/queue?bucket=review");
const href = await clerk.locator("[data-testid=queue] a").first().getAttribute("href");
await add("back-office case", await fresh(clerk), href);
await browser.close();

let over = 0;
console.log(`${"page kind".padEnd(18)} ${"wasm".padStart(9)} ${"js".padStart(9)} ${"css".padStart(9)} ${"total".padStart(9)} ${"budget".padStart(9)}`);
for (const r of rows) {
  const sum = (ext) => r.files.filter((f) => f.file.endsWith(ext)).reduce((s, f) => s + f.bytes, 0);
  const [w, j, c] = [sum(".wasm"), sum(".js"), sum(".css")];
  const total = w + j + c;
  const budget = budgets[r.kind] * KB;
  if (total > budget) over++;
  const kb = (n) => (n / KB).toFixed(1).padStart(7) + "KB";
  console.log(`${r.kind.padEnd(18)} ${kb(w)} ${kb(j)} ${kb(c)} ${kb(total)} ${kb(budget)}  (${total} B)${total > budget ? "  OVER" : ""}`);
}
process.exit(over ? 1 : 0);
