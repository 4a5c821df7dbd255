import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3005";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
for (const [name, viewport, elder] of [["phone", { width: 360, height: 740 }, false], ["desk", { width: 1280, height: 800 }, false], ["elder", { width: 360, height: 740 }, true]]) {
  const ctx = await browser.newContext({ viewport, locale: "zh-CN" });
  if (elder) await ctx.addCookies([{ name: "tb_elder", value: "1", url: base }]);
  const page = await ctx.newPage();
  await page.goto(base + "/login?next=/cases");
  await page.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill("11010519491231002X");
  await page.getByLabel("密码").fill("Shenqing-Demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(/cases/);
  await page.goto(base + "/items/ZRZY-001");
  await page.getByTestId("apply").click();
  await page.waitForSelector("body[data-hydrated]");
  await page.screenshot({ path: `/tmp/shot-${name}-draft.png`, fullPage: true });
  await page.goto(page.url() + "/check");
  await page.screenshot({ path: `/tmp/shot-${name}-check.png`, fullPage: true });
  await page.goto(base + "/cases/2");
  await page.screenshot({ path: `/tmp/shot-${name}-case.png`, fullPage: true });
  await page.goto(base + "/ledger");
  await page.screenshot({ path: `/tmp/shot-${name}-ledger.png`, fullPage: true });
  await ctx.close();
}
await browser.close();
