// A phone on a slow line with a slow CPU (CPU 6×, ~400 kbit/s, 400 ms): what someone types into a
// form before the page has finished loading is still there once it has, and is what the server
// receives. The wasm is held back until the typing is done, so the typing surely comes first;
// islands hydrate the HTML the server made and never re-render the rest, so nothing is lost.
import { test, expect, Page } from "./fixtures";
import { applyForZrzy001, hydrated, newIdCard, newMobile, proveMobile, registerPerson, staffPage } from "./util";

/** Slows the page down like a cheap phone on a poor mobile line. */
async function slowPhone(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 6 });
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 400,
    downloadThroughput: (400 * 1024) / 8,
    uploadThroughput: (400 * 1024) / 8,
  });
}

/** Holds every wasm download until `release()` is called; tells whether one was asked for. */
async function holdWasm(page: Page) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let asked = false;
  await page.route(/\.wasm$/, async (route) => {
    asked = true;
    await gate;
    await route.continue();
  });
  return { release, asked: () => asked };
}

test("registration: what is typed before the page is ready is kept and sent", async ({ page }) => {
  test.setTimeout(90_000);
  await slowPhone(page);
  const wasm = await holdWasm(page);
  const [id, mobile] = [newIdCard(), newMobile()];
  await page.goto("/register", { waitUntil: "commit" });
  await page.getByLabel("姓名", { exact: true }).fill("慢网络");
  await page.getByLabel("居民身份证号码").fill(id);
  await page.getByLabel("手机号码").fill(mobile);
  await page.getByLabel("密码", { exact: true }).fill("慢慢来也不丢-2026");
  await page.getByLabel("再次输入密码").fill("慢慢来也不丢-2026");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(0);
  wasm.release();
  await hydrated(page);
  expect(wasm.asked()).toBe(true);
  await expect(page.getByLabel("姓名", { exact: true })).toHaveValue("慢网络");
  await expect(page.getByLabel("居民身份证号码")).toHaveValue(id);
  await expect(page.getByLabel("手机号码")).toHaveValue(mobile);
  await expect(page.getByLabel("密码", { exact: true })).toHaveValue("慢慢来也不丢-2026");
  // the code's round trip brings the form back without the passwords
  await proveMobile(page, mobile);
  await expect(page.getByLabel("姓名", { exact: true })).toHaveValue("慢网络");
  await page.getByLabel("密码", { exact: true }).fill("慢慢来也不丢-2026");
  await page.getByLabel("再次输入密码").fill("慢慢来也不丢-2026");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/account$/, { timeout: 30_000 });
  await expect(page.locator("main")).toContainText("慢网络");
});

test("the application editor: an answer chosen before the page is ready is kept and saved", async ({ page }) => {
  test.setTimeout(90_000);
  await registerPerson(page, "慢网络乙");
  await page.goto("/items/ZRZY-001");
  await page.getByTestId("apply").click();
  await page.waitForURL(/\/applications\/\d+$/);
  const editor = page.url();
  await slowPhone(page);
  const wasm = await holdWasm(page);
  await page.goto(editor, { waitUntil: "commit" });
  await page.getByLabel("否，本人办理").check();
  await page.getByLabel("否", { exact: true }).check();
  await expect(page.locator("body[data-hydrated]")).toHaveCount(0);
  wasm.release();
  await hydrated(page);
  await expect(page.getByLabel("否，本人办理")).toBeChecked();
  await expect(page.getByLabel("否", { exact: true })).toBeChecked();
  // the island took the answers it found in the form and saved them
  await expect(page.getByTestId("autosave")).toHaveText("已自动保存", { timeout: 30_000 });
  await page.goto(editor + "/check");
  await expect(page.locator(".summary-list").nth(1)).toContainText("否，本人办理");
});

test("a back-office case page: a note typed before the page is ready is kept and sent", async ({ page, browser, baseURL }, info) => {
  test.skip(info.project.name !== "desktop", "a desktop tool");
  test.setTimeout(120_000);
  // an application of our own, submitted
  await registerPerson(page, "慢网络丙");
  await page.goto("/items/ZRZY-001");
  await hydrated(page);
  const { caseNo } = await applyForZrzy001(page);

  const clerk = await staffPage(browser, baseURL!, "clerk");
  await clerk.goto("/staff/queue?bucket=new");
  const href = (await clerk.getByRole("link", { name: caseNo }).getAttribute("href"))!;
  await slowPhone(clerk);
  const wasm = await holdWasm(clerk);
  await clerk.goto(href, { waitUntil: "commit" });
  const note = clerk.locator("textarea[form=form-request_correction]").first();
  await note.fill("慢网络下写的补正意见");
  wasm.release();
  await hydrated(clerk);
  await expect(note).toHaveValue("慢网络下写的补正意见");
  // the case page has no island: it downloads no wasm at all
  expect(wasm.asked()).toBe(false);
  await clerk.locator("#form-request_correction button[type=submit]").click();
  await expect(clerk.getByRole("status")).toContainText("已办理", { timeout: 30_000 });
  await expect(clerk.locator("main")).toContainText("慢网络下写的补正意见");
});
