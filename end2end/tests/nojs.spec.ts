import { test, expect } from "./fixtures";
import { DEMO_PERSON, newIdCard, newMobile, textedCode } from "./util";

test.use({ javaScriptEnabled: false });

test("log in and out without JavaScript", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill(DEMO_PERSON.login);
  await page.getByLabel("密码").fill(DEMO_PERSON.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator(".summary-list")).toContainText(DEMO_PERSON.name);
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=/);
});

test("a refused registration keeps what was typed and shows the error next to the field", async ({ page }) => {
  await page.goto("/register");
  await page.getByLabel("姓名", { exact: true }).fill("李雷");
  await page.getByLabel("居民身份证号码").fill("110105194912310021");
  await page.getByLabel("手机号码").fill("13912345678");
  await page.getByLabel("密码", { exact: true }).fill("a-long-enough-password");
  await page.getByLabel("再次输入密码").fill("a-long-enough-password");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.locator("#f-id_card_no-error")).toHaveText("校验位不正确，请核对号码是否输错");
  await expect(page.locator(".error-summary a[href='#f-id_card_no']")).toBeVisible();
  await expect(page.getByLabel("姓名", { exact: true })).toHaveValue("李雷");
  await expect(page.getByLabel("手机号码")).toHaveValue("13912345678");
  await expect(page.getByLabel("密码", { exact: true })).toHaveValue("");
});

test("register without JavaScript: the code texted to the mobile, then the account", async ({ page }) => {
  const [id, mobile] = [newIdCard(), newMobile()];
  await page.goto("/register");
  await page.getByLabel("姓名", { exact: true }).fill("无脚本");
  await page.getByLabel("居民身份证号码").fill(id);
  await page.getByLabel("手机号码").fill(mobile);
  await page.getByRole("button", { name: "获取短信验证码" }).click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByRole("status")).toContainText("验证码已发送至 " + mobile.slice(0, 3) + "****" + mobile.slice(7));
  await expect(page.getByLabel("居民身份证号码")).toHaveValue(id);
  // a wrong code: refused next to the field, nothing else lost
  const code = await textedCode(mobile);
  await page.getByLabel("短信验证码").fill(code === "000000" ? "000001" : "000000");
  await page.getByLabel("密码", { exact: true }).fill("没有脚本也能注册-2026");
  await page.getByLabel("再次输入密码").fill("没有脚本也能注册-2026");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.locator("#f-sms_code-error")).toHaveText("验证码不正确，请核对短信");
  await expect(page.getByLabel("姓名", { exact: true })).toHaveValue("无脚本");
  await page.getByLabel("短信验证码").fill(code);
  await page.getByLabel("密码", { exact: true }).fill("没有脚本也能注册-2026");
  await page.getByLabel("再次输入密码").fill("没有脚本也能注册-2026");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator(".summary-list")).toContainText("无脚本");
});

test("language switch works without JavaScript", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Apply online, done in one go");
});
