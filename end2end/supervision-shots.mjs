// Screenshots of the supervision pages added for issue E (not a test): node end2end/supervision-shots.mjs
import { chromium } from "@playwright/test";
const base = process.env.BASE ?? "http://127.0.0.1:3005";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
async function login(user, viewport, elder = false) {
  const ctx = await browser.newContext({ viewport, locale: "zh-CN" });
  if (elder) await ctx.addCookies([{ name: "tb_elder", value: "1", url: base }]);
  const page = await ctx.newPage();
  await page.goto(base + "/staff/login");
  await page.getByLabel("工号").fill(user);
  await page.getByLabel("密码").fill("Tongban-Demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(/\/staff$/);
  return page;
}
const desk = await login("supervisor", { width: 1280, height: 900 });
await desk.goto(base + "/staff/supervision");
await desk.screenshot({ path: "/tmp/shots/supervision-desktop.png", fullPage: true });
await desk.goto(base + "/staff/stats?by=item");
await desk.screenshot({ path: "/tmp/shots/stats-desktop.png", fullPage: true });
const phone = await login("supervisor", { width: 360, height: 740 }, true);
await phone.goto(base + "/staff/supervision");
await phone.screenshot({ path: "/tmp/shots/supervision-phone-elder.png", fullPage: true });
await phone.goto(base + "/staff/stats?by=month");
await phone.screenshot({ path: "/tmp/shots/stats-phone-elder.png", fullPage: true });
const clerk = await login("clerk", { width: 1280, height: 900 });
await clerk.goto(base + "/staff/inquiries");
await clerk.getByRole("button", { name: "登记", exact: true }).click();
await clerk.waitForURL(/inquiries/);
await clerk.screenshot({ path: "/tmp/shots/inquiries-errors.png", fullPage: true });
await browser.close();
