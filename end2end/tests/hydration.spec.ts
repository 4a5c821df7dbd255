// Every page kind hydrates: the wasm walks the whole server-rendered page without a mismatch
// (`data-hydrated` is set only after it has), and the fixture fails the test on any console or page
// error. scripts/test runs this on the release build, where a mismatch once panicked on every page
// while the pages still looked right.
import { test } from "./fixtures";
import { DEMO_PERSON, hydrated, staffPage } from "./util";
import type { Page } from "./fixtures";

async function visit(page: Page, paths: string[]) {
  for (const path of paths) {
    await test.step(path, async () => {
      await page.goto(path);
      await hydrated(page);
    });
  }
}

test("public pages hydrate", async ({ page }) => {
  await visit(page, ["/", "/?q=用地", "/items/ZRZY-001", "/progress", "/ledger", "/open", "/open?kind=procedure", "/open/directory", "/open/procedures/ZRZY-001", "/bundles/KG-001", "/verify/NOSUCHCODE", "/complaint", "/login", "/register", "/activate", "/staff/login", "/no-such-page"]);
});

test("the applicant's pages hydrate", async ({ page }) => {
  await page.goto("/login?next=/cases");
  await page.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill(DEMO_PERSON.login);
  await page.getByLabel("密码").fill(DEMO_PERSON.password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(/\/cases$/);
  await visit(page, ["/account", "/inbox", "/cases"]);
  await page.locator('a[href^="/cases/"]').first().click();
  await page.waitForURL(/\/cases\/\d+$/);
  await visit(page, [new URL(page.url()).pathname]);
  await page.goto("/items/ZRZY-004");
  await page.getByTestId("apply").click();
  await page.waitForURL(/\/applications\/\d+$/);
  const editor = new URL(page.url()).pathname;
  await visit(page, [editor, editor + "/check"]);
});

test("the back office hydrates", async ({ browser, baseURL }, info) => {
  test.skip(info.project.name !== "desktop", "a desktop tool");
  const clerk = await staffPage(browser, baseURL!, "clerk");
  await visit(clerk, ["/staff", "/staff/second-factor", "/staff/intake", "/staff/inquiries", "/staff/queue?bucket=review"]);
  await clerk.locator("[data-testid=queue] a").first().click();
  await clerk.waitForURL(/\/staff\/cases\/\d+$/);
  await visit(clerk, [new URL(clerk.url()).pathname]);
  const supervisor = await staffPage(browser, baseURL!, "supervisor");
  await visit(supervisor, ["/staff/supervision", "/staff/stats"]);
  const editor = await staffPage(browser, baseURL!, "editor");
  await visit(editor, ["/staff/open", "/staff/open/new"]);
});

test("the admin pages hydrate", async ({ browser, baseURL }, info) => {
  test.skip(info.project.name !== "desktop", "a desktop tool");
  const admin = await staffPage(browser, baseURL!, "admin");
  await visit(admin, ["/staff/admin", "/staff/admin/items", "/staff/admin/items/ZRZY-001", "/staff/admin/bundles", "/staff/admin/bundles/KG-001", "/staff/admin/calendar", "/staff/admin/templates", "/staff/admin/tokens"]);
});
