// Screenshots of the item editor's live preview and the notice templates (not a test):
// node end2end/admin-shots.mjs (a server with demo data on BASE)
import { chromium } from "@playwright/test";
const base = process.env.BASE ?? "http://127.0.0.1:3005";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
async function login(user, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: "zh-CN" });
  const page = await ctx.newPage();
  await page.goto(base + "/staff/login");
  await page.getByLabel("工号").fill(user);
  await page.getByLabel("密码").fill("Tongban-Demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(/\/staff$/);
  return page;
}
const admin = await login("admin");
await admin.goto(base + "/staff/admin/items/ZJJ-001");
await admin.waitForSelector("body[data-hydrated]");
await admin.getByLabel("是否委托他人代为办理？").selectOption("yes");
await admin.screenshot({ path: "/tmp/shots/item-live.png", fullPage: false });
const rules = admin.getByLabel(/规则数据/);
await rules.fill((await rules.inputValue()).slice(0, 200));
await admin.locator("#item-live-status").scrollIntoViewIfNeeded();
await admin.screenshot({ path: "/tmp/shots/item-live-error.png", fullPage: false });
await admin.goto(base + "/staff/admin/templates");
await admin.screenshot({ path: "/tmp/shots/templates.png", fullPage: true });
await browser.close();
