import { test, expect } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { DEMO_PERSON, hydrated } from "./util";

async function noViolations(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary).toEqual([]);
}

const publicPages = ["/", "/items/ZRZY-001", "/login", "/register", "/activate", "/progress", "/ledger", "/open", "/open/directory", "/open/procedures/ZRZY-001", "/bundles/KG-001", "/verify/NOSUCHCODE", "/staff/login"];

for (const path of publicPages) {
  test(`accessibility: ${path}`, async ({ page }) => {
    await page.goto(path);
    await hydrated(page);
    await noViolations(page);
  });
}

test("accessibility: the applicant's pages", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/login?next=/cases");
  await page.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill(DEMO_PERSON.login);
  await page.getByLabel("密码").fill(DEMO_PERSON.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/cases$/);
  for (const path of ["/cases", "/account", "/inbox"]) {
    await page.goto(path);
    await hydrated(page);
    await noViolations(page);
  }
  await page.getByRole("link", { name: "我的办件" }).first().click();
  await page.locator('a[href^="/cases/"]', { hasText: "地质灾害危险性评估报告备案" }).click();
  // a link followed in the browser: the page is already hydrated, so wait for the case itself
  // (axe once ran on the page between the two and found no heading)
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await hydrated(page);
  await noViolations(page);
  await page.goto("/items/ZRZY-004");
  await page.getByTestId("apply").click();
  await hydrated(page);
  await noViolations(page);
  await page.goto(page.url() + "/check");
  await hydrated(page);
  await noViolations(page);
});

test("accessibility: the back office", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "a desktop tool");
  await page.goto("/staff/login");
  await page.getByLabel("工号").fill("clerk");
  await page.getByLabel("密码").fill("Tongban-Demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await hydrated(page);
  await noViolations(page);
  await page.goto("/staff/queue?bucket=review");
  await hydrated(page);
  await noViolations(page);
  await page.locator("[data-testid=queue] a").first().click();
  await hydrated(page);
  await noViolations(page);
});
