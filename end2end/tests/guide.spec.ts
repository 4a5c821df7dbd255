import { test, expect } from "./fixtures";
import { hydrated } from "./util";

test("find an item, read its guide, and watch the checklist follow the answers", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("搜索事项或部门").fill("用地");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.locator(".item-card")).toHaveCount(1);
  await page.getByRole("link", { name: "建设项目用地预审" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("建设项目用地预审");
  await hydrated(page);

  const required = page.getByTestId("required-now");
  await expect(required).toContainText("申请人身份证明");
  await expect(required).not.toContainText("农村集体经济组织同意用地的书面意见");

  await page.getByLabel("企业 / 法人").check();
  await expect(required).toContainText("营业执照");
  await expect(required).not.toContainText("申请人身份证明");
  await page.locator("input[name=q_collective][value=yes]").check();
  await expect(required).toContainText("农村集体经济组织同意用地的书面意见");
  await page.locator("input[name=q_via_agent][value=yes]").check();
  await expect(required).toContainText("授权委托书及受托人身份证明");

  await expect(page.getByTestId("promised")).toHaveText("15 个工作日");
  await expect(page.getByTestId("projection")).toContainText("承诺办结日期为");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the checklist preview is computed by the server from the submitted answers", async ({ page }) => {
    await page.goto("/items/ZRZY-001");
    await page.getByLabel("企业 / 法人").check();
    await page.locator("input[name=q_collective][value=yes]").check();
    await page.getByRole("button", { name: "更新清单" }).click();
    await expect(page).toHaveURL(/kind=enterprise/);
    const required = page.getByTestId("required-now");
    await expect(required).toContainText("营业执照");
    await expect(required).toContainText("农村集体经济组织同意用地的书面意见");
  });

  test("an unknown item code is a friendly 404", async ({ page }) => {
    const res = await page.goto("/items/NOPE-999");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到您要的页面");
  });
});

test("filter the catalog by life event and by kind; popular items", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "热门事项" })).toBeVisible();
  await page.getByLabel("主题（办什么事）").selectOption("开办企业");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.locator(".item-card")).toHaveCount(1);
  await expect(page.locator(".item-card")).toContainText("个体工商户设立登记");
  await page.goto("/?kind=filing");
  await expect(page.locator(".item-card")).toHaveCount(1);
  await expect(page.locator(".item-card")).toContainText("地质灾害危险性评估报告备案");
  await expect(page.getByLabel("事项类型")).toHaveValue("filing");
});

test("the guide has a QR code that opens it on a phone", async ({ page }) => {
  await page.goto("/items/ZRZY-001");
  const qr = page.getByRole("img", { name: /二维码/ });
  await expect(qr).toBeVisible();
  await expect(qr.locator("path, rect").first()).toBeAttached();
});
