import { test, expect } from "./fixtures";

test("language switch renders the page in 繁體 and English, and is remembered", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("在线办事，一次办成");

  await page.getByRole("button", { name: "繁體" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hant");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("線上辦事，一次辦成");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("線上辦事，一次辦成");

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Apply online, done in one go");
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
});

test("elder mode enlarges the type and is applied by the server (no flash)", async ({ page }) => {
  await page.goto("/login");
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  await page.getByRole("button", { name: "适老模式" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator("html")).toHaveClass(/elder/);
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  expect(after).toBeGreaterThanOrEqual(before * 1.2);
  // the server renders the class itself: it is in the HTML before any script runs
  const html = await (await page.request.get("/login")).text();
  expect(html).toContain('class="elder"');
  await page.getByRole("button", { name: "退出适老模式" }).click();
  await expect(page.locator("html")).not.toHaveClass(/elder/);
});

test("unknown pages get a friendly 404", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到您要的页面");
});
