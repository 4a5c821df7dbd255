import { test, expect } from "./fixtures";
import { newIdCard, newMobile, hydrated, proveMobile, DEMO_CLERK } from "./util";

test("register, log out, log in again", async ({ page }) => {
  const id = newIdCard();
  const mobile = newMobile();
  const password = "青山绿水常在-" + Date.now();

  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("个人", { exact: true }).check();
  await page.getByLabel("姓名", { exact: true }).fill("王小明");
  await page.getByLabel("居民身份证号码").fill(id.toLowerCase());
  await page.getByLabel("手机号码").fill(mobile);
  await proveMobile(page, mobile);
  await hydrated(page);
  await expect(page.getByLabel("姓名", { exact: true })).toHaveValue("王小明");
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByLabel("再次输入密码").fill(password);
  await page.getByRole("button", { name: "注册" }).click();

  await expect(page).toHaveURL(/\/account$/);
  await hydrated(page);
  await expect(page.getByRole("status")).toContainText("注册成功");
  await expect(page.getByRole("heading", { name: "我的账户" })).toBeVisible();
  await expect(page.locator(".summary-list")).toContainText("王小明");

  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("status")).toContainText("已安全退出");

  // log in with the mobile number this time
  await page.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill(mobile);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await hydrated(page);
  await expect(page.locator(".summary-list")).toHaveCount(1);
  await expect(page.locator(".summary-list")).toContainText("王小明");
});

test("an enterprise registers with its credit code", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("企业 / 法人").check();
  await expect(page.getByLabel("居民身份证号码")).toBeHidden();
  await page.getByLabel("企业名称").fill("测试建设有限公司");
  // a code with a valid check character, new each run
  const body = "9111010" + String(Math.floor(Math.random() * 1e10)).padStart(10, "0");
  const cs = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const r = (31 - ([...body].reduce((s, c, i) => s + cs.indexOf(c) * w[i], 0) % 31)) % 31;
  await page.getByLabel("统一社会信用代码").fill(body + cs[r]);
  await page.getByLabel("联系人姓名").fill("赵六");
  const mobile = newMobile();
  await page.getByLabel("手机号码").fill(mobile);
  await proveMobile(page, mobile);
  await expect(page.getByLabel("企业 / 法人")).toBeChecked();
  await page.getByLabel("密码", { exact: true }).fill("企业账户的密码2026");
  await page.getByLabel("再次输入密码").fill("企业账户的密码2026");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator(".summary-list")).toContainText("测试建设有限公司");
});

test("a wrong password and an unknown account get the same message", async ({ page }) => {
  for (const login of ["11010519491231002X", "110105199001010010"]) {
    await page.goto("/login");
    await page.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill(login);
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.locator(".error-summary")).toContainText("账号或密码不正确");
    await expect(page.getByLabel("身份证号 / 统一社会信用代码 / 手机号")).toHaveValue(login);
  }
});

test("staff sign in and see their roles", async ({ page }) => {
  await page.goto("/staff/login");
  await page.getByLabel("工号").fill(DEMO_CLERK.username);
  await page.getByLabel("密码").fill(DEMO_CLERK.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await hydrated(page);
  await expect(page.getByRole("table")).toHaveCount(1);
  await expect(page.getByRole("table")).toContainText("窗口受理员");
  await expect(page.getByRole("table")).toContainText("自然资源局");
});
