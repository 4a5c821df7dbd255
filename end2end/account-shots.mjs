// Screenshots of the applicant's account page (notice settings) on a 360 px phone, in elder
// mode and on a desktop, with the notice-language error a crafted post gets. Not a test.
import { base, launch } from "./shots-lib.mjs";

const browser = await launch();
for (const [name, viewport, elder] of [
  ["phone", { width: 360, height: 740 }, false],
  ["elder", { width: 360, height: 740 }, true],
  ["desk", { width: 1280, height: 800 }, false],
]) {
  const ctx = await browser.newContext({ viewport, locale: "zh-CN" });
  if (elder) await ctx.addCookies([{ name: "tb_elder", value: "1", url: base }]);
  const page = await ctx.newPage();
  await page.goto(base + "/login?next=/account");
  await page.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill("11010519491231002X");
  await page.getByLabel("密码").fill("Shenqing-Demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(/account/);
  await page.screenshot({ path: `/tmp/shot-${name}-account.png`, fullPage: true });
  // a language the form does not offer (only a crafted post can send one)
  await page.locator("#notice_lang option").first().evaluate((o) => (o.value = "fr"));
  await page.locator("#notice_lang").selectOption({ index: 0 });
  await page.locator("#form-notify button[type=submit]").click();
  await page.waitForURL(/account/);
  await page.locator("#notice_lang-error").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/shot-${name}-account-error.png`, fullPage: true });
  await ctx.close();
}
await browser.close();
