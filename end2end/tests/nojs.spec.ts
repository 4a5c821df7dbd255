import { test, expect } from "./fixtures";
import { DEMO_PERSON } from "./util";

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

test("language switch works without JavaScript", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Apply online, done in one go");
});
