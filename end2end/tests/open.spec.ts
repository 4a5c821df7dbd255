// 政务公开 (issue J1): an editor drafts, a second editor approves (审核发布), the public finds the
// entry by a two-character Chinese query and in its kind's Atom feed, with the file attached to it;
// it is withdrawn and is gone.
// The 办事程序 and the 政务公开目录 are made from the catalog.
import { test, expect } from "./fixtures";
import { staffPage } from "./util";

test("an editor's entry is public only once another editor approves it, is found by a Chinese word and in the feed, and is gone once withdrawn", async ({ page, browser, baseURL }, info) => {
  test.skip(info.project.name !== "desktop", "the editors' desk is a desktop tool; the public pages are checked on the phone below");
  test.setTimeout(60_000);
  const tag = `E2E${Date.now().toString(36).toUpperCase()}`;
  const title = `不动产确权登记公告 ${tag}`;

  const editor = await staffPage(browser, baseURL!, "editor");
  await editor.getByTestId("open-desk-link").click();
  await editor.getByRole("link", { name: "撰写新条目" }).click();
  // a title left empty is refused next to the field, and the text typed is kept
  await editor.getByLabel("公开类别").selectOption("policy");
  await editor.getByLabel("正文").fill("第一段：**确权**登记的范围。");
  await editor.getByRole("button", { name: "保存草稿" }).click();
  await expect(editor.locator(".field-error")).toContainText("标题");
  await expect(editor.getByLabel("正文")).toHaveValue("第一段：**确权**登记的范围。");
  await editor.getByLabel("标题").fill(title);
  await editor.getByRole("button", { name: "保存草稿" }).click();
  await expect(editor.getByRole("status")).toContainText("已保存草稿");
  const entryUrl = editor.url();
  const id = entryUrl.match(/\/staff\/open\/(\d+)$/)![1];
  // an attachment: a file that is not a PDF (whatever its name) is refused next to the field; a PDF is listed
  await editor.getByLabel("选择文件").setInputFiles({ name: "说明.pdf", mimeType: "application/pdf", buffer: Buffer.from("not a pdf") });
  await editor.getByRole("button", { name: "上传附件" }).click();
  await expect(editor.getByTestId("open-files").locator(".error-message")).toContainText("PDF");
  await editor.getByLabel("选择文件").setInputFiles({ name: "确权范围图.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%e2e\n%%EOF\n") });
  await editor.getByRole("button", { name: "上传附件" }).click();
  await expect(editor.getByTestId("open-file")).toContainText("确权范围图.pdf");
  await editor.getByRole("button", { name: "送审" }).click();
  await expect(editor.getByRole("status")).toContainText("已送审");
  // the one who sent it cannot approve it
  await expect(editor.getByRole("button", { name: "审核通过并发布" })).toHaveCount(0);

  // not public yet
  const anon = await browser.newContext({ baseURL, locale: "zh-CN" });
  const pub = await anon.newPage();
  const before = await pub.request.get(`/open/${id}`);
  expect(before.status()).toBe(404);

  const approver = await staffPage(browser, baseURL!, "editor2");
  await approver.goto("/staff/open");
  await expect(approver.getByTestId("open-desk")).toContainText("待审核");
  await approver.getByRole("link", { name: title }).click();
  await approver.getByRole("button", { name: "审核通过并发布" }).click();
  await expect(approver.getByRole("status")).toContainText("已审核发布");

  // the public: a two-character query finds it, its page renders the Markdown, the feed lists it
  await pub.goto("/open");
  await pub.getByLabel("搜索公开信息").fill("确权");
  await pub.getByRole("button", { name: "搜索" }).click();
  await expect(pub.getByTestId("open-results")).toContainText(title);
  await pub.getByRole("link", { name: title }).click();
  await expect(pub.getByTestId("open-entry").locator("strong").first()).toHaveText("确权");
  // the file approved with it is the public's too
  await expect(pub.getByTestId("open-attachments")).toContainText("确权范围图.pdf");
  const file = await pub.request.get((await pub.getByRole("link", { name: "确权范围图.pdf" }).getAttribute("href"))!);
  expect(file.status()).toBe(200);
  expect(file.headers()["content-type"]).toBe("application/pdf");
  const feed = await pub.request.get("/open/feed/policy.atom");
  expect(feed.headers()["content-type"]).toContain("application/atom+xml");
  expect(await feed.text()).toContain(`/open/${id}`);

  // withdrawn: gone from the page, the search and the feed
  await approver.getByRole("button", { name: "撤下" }).click();
  await expect(approver.getByRole("status")).toContainText("已撤下");
  expect((await pub.request.get(`/open/${id}`)).status()).toBe(404);
  await pub.goto(`/open?q=${encodeURIComponent("确权 " + tag)}`);
  await expect(pub.getByTestId("open-none")).toBeVisible();
  expect(await (await pub.request.get("/open/feed/policy.atom")).text()).not.toContain(`/open/${id}`);
  await anon.close();
});

test("the procedures and the directory are made from the catalog", async ({ page }) => {
  await page.goto("/open");
  await page.getByRole("link", { name: "办事程序" }).first().click();
  await expect(page.getByTestId("open-procedures")).toContainText("ZRZY-001");
  await page.getByTestId("open-procedures").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/open\/procedures\/[A-Z]+-\d+$/);
  // the four steps of [000], each with its limit
  const steps = page.getByTestId("flow-step");
  expect(await steps.count()).toBeGreaterThanOrEqual(4);
  await expect(steps.first()).toContainText("申请与受理");
  await expect(steps.last()).toContainText("送达");
  await page.goto("/open/directory");
  await expect(page.getByTestId("directory-department").first()).toContainText("行政职权");
  await expect(page.getByTestId("flow-step").first()).toContainText("5 个工作日");
});
