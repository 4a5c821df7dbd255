// Screenshots of the back office pages added for issue D (not a test): node end2end/staff-shots.mjs
import { chromium } from "@playwright/test";
const base = process.env.BASE ?? "http://127.0.0.1:3005";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const PDF = Buffer.from("%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
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
const clerk = await login("clerk");
await clerk.goto(base + "/staff/intake?number=110105197003150018");
await clerk.screenshot({ path: "/tmp/shots/intake-new.png", fullPage: true });
if (await clerk.getByTestId("intake-new").count()) {
  await clerk.getByLabel("姓名").fill("郑大爷");
  await clerk.getByLabel("手机号码").fill("13912345678");
  await clerk.getByRole("button", { name: "登记申请人" }).click();
}
await clerk.screenshot({ path: "/tmp/shots/intake-found.png", fullPage: true });
await clerk.getByLabel("办理事项").selectOption("ZRZY-003");
await clerk.getByRole("button", { name: "开始帮办" }).click();
await clerk.waitForSelector("body[data-hydrated]");
const draft = clerk.url();
for (const m of ["id_card", "application", "household", "village_opinion"]) {
  const card = clerk.locator(`#m-${m}`);
  if (!(await card.count())) continue;
  await card.locator("input[type=file]").setInputFiles({ name: m + ".pdf", mimeType: "application/pdf", buffer: PDF });
  await card.getByRole("button", { name: "上传" }).click();
  await card.locator(".file-row").first().waitFor();
}
await clerk.goto(draft + "/check");
await clerk.getByRole("button", { name: "确认并提交申请" }).click();
await clerk.waitForURL(/staff\/cases/);
const caseUrl = clerk.url();
await clerk.locator("#form-accept button[type=submit]").click();
await clerk.waitForURL(/staff\/cases/);
const village = await login("village");
await village.goto(base + "/staff/queue?bucket=opinions");
await village.screenshot({ path: "/tmp/shots/queue-opinions.png", fullPage: true });
await village.goto(caseUrl);
await village.screenshot({ path: "/tmp/shots/case-village.png", fullPage: true });
const phone = await login("approver", { width: 360, height: 740 });
await phone.goto(caseUrl);
await phone.screenshot({ path: "/tmp/shots/case-approver-phone.png", fullPage: true });
await browser.close();
