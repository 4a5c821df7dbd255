import { test, expect } from "./fixtures";
import { DEMO_PERSON, PDF, PNG, JPEG, bigPdf, hydrated, registerPerson } from "./util";

test("apply online: questions change the checklist, uploads with progress, save, resume, submit, receipt, progress query", async ({ page, context }) => {
  test.setTimeout(90_000);
  const me = await registerPerson(page);

  // find the item and start
  await page.goto("/?q=用地预审");
  await page.getByRole("link", { name: "建设项目用地预审" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("建设项目用地预审");
  await page.getByTestId("apply").click();
  await expect(page).toHaveURL(/\/applications\/\d+$/);
  const draftUrl = page.url();
  await hydrated(page);

  // the answers change the checklist in the browser, before anything is sent
  const collectiveCard = page.locator(".material-card", { hasText: "农村集体经济组织同意用地的书面意见" });
  await page.getByLabel("否，本人办理").check();
  await page.getByLabel("是", { exact: true }).check();
  await expect(collectiveCard).toHaveCount(1);
  await page.getByLabel("否", { exact: true }).check();
  await expect(collectiveCard).toHaveCount(0);
  await expect(page.getByTestId("autosave")).toHaveText("已自动保存");
  await expect(page.getByTestId("checklist-status")).toHaveText("还差 3 项必需材料。");

  // two uploads, on a slow line so the progress bars are seen
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
  const app = page.locator("#m-application");
  await app.locator("input[type=file]").setInputFiles({ name: "申请表.pdf", mimeType: "application/pdf", buffer: bigPdf(3 * 1024 * 1024) });
  await app.getByRole("button", { name: "上传" }).click();
  const bar = app.locator("progress");
  await expect(bar).toBeVisible();
  await expect(app.locator(".file-row")).toContainText("申请表.pdf", { timeout: 30_000 });
  await expect(bar).toHaveCount(0);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const id = page.locator("#m-id_card");
  await id.locator("input[type=file]").setInputFiles({ name: "身份证.jpg", mimeType: "image/jpeg", buffer: JPEG });
  await id.getByRole("button", { name: "上传" }).click();
  await expect(id.locator(".file-row")).toContainText("身份证.jpg");
  await expect(page.getByTestId("checklist-status")).toHaveText("还差 1 项必需材料。");

  // save and come back later: a reload and a new login keep everything
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("已保存");
  await page.getByRole("button", { name: "退出" }).click();
  await page.goto(draftUrl);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill(me.mobile);
  await page.getByLabel("密码").fill(me.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(draftUrl);
  await hydrated(page);
  await expect(page.getByLabel("否，本人办理")).toBeChecked();
  await expect(page.getByLabel("否", { exact: true })).toBeChecked();
  await expect(page.locator("#m-application .file-row")).toContainText("申请表.pdf");

  // the last material, then check your answers and submit
  const approval = page.locator("#m-project_approval");
  await approval.locator("input[type=file]").setInputFiles({ name: "批复.pdf", mimeType: "application/pdf", buffer: PDF });
  await approval.getByRole("button", { name: "上传" }).click();
  await expect(approval.locator(".file-row")).toContainText("批复.pdf");
  await page.getByRole("link", { name: "检查并提交" }).first().click();
  await expect(page.getByRole("heading", { name: "检查您的申请" })).toBeVisible();
  await expect(page.getByTestId("check-materials")).toContainText("身份证.jpg");
  await page.getByRole("button", { name: "确认并提交申请" }).click();
  await expect(page.getByTestId("confirmation")).toContainText("申请已提交");
  const caseNo = (await page.getByTestId("case-no").textContent())!.trim();
  expect(caseNo).toMatch(/^ZRZY-\d{8}-\d{6}$/);
  await expect(page.getByTestId("acceptance-by")).toHaveText(/\d{4}-\d{2}-\d{2}/);

  // the receipt is a PDF, among the case's notices
  const href = await page.getByTestId("notice-receipt").getAttribute("href");
  const pdf = await page.request.get(href!);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // the public progress query, without an account, as the receipt's QR code opens it: the case
  // number filled in, nothing looked up before the last 4 are given
  await context.clearCookies();
  await page.goto(`/progress?case_no=${caseNo}`);
  await expect(page.getByLabel("办件编号")).toHaveValue(caseNo);
  await expect(page.getByTestId("progress-result")).toHaveCount(0);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.getByLabel("手机号或证件号码后 4 位").fill(me.mobile.slice(-4));
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByTestId("progress-result")).toContainText("已提交，待受理");
  await page.getByLabel("手机号或证件号码后 4 位").fill("别人");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByRole("alert")).toContainText("没有找到");
  await expect(page.getByTestId("progress-result")).toHaveCount(0);
});

test("bad input: a PNG renamed .pdf, an oversize file, missing materials — clear messages, nothing lost", async ({ page }) => {
  await registerPerson(page, "李华");
  await page.goto("/items/ZRZY-001");
  await page.getByTestId("apply").click();
  await hydrated(page);
  await page.getByLabel("否，本人办理").check();
  const app = page.locator("#m-application");
  await app.locator("input[type=file]").setInputFiles({ name: "scan.pdf", mimeType: "application/pdf", buffer: PNG });
  await app.getByRole("button", { name: "上传" }).click();
  await expect(app.locator(".error-message")).toHaveText("「建设项目用地预审申请表」文件格式不符合要求，请提交 PDF/OFD 格式");
  await expect(page.locator(".error-summary")).toContainText("PDF/OFD");
  // too big: refused in the browser before sending
  await app.locator("input[type=file]").setInputFiles({ name: "huge.pdf", mimeType: "application/pdf", buffer: bigPdf(10 * 1024 * 1024 + 1) });
  await app.getByRole("button", { name: "上传" }).click();
  await expect(app.locator(".error-message")).toContainText("文件超过 10 MB 的大小限制");
  await expect(app.locator("progress")).toHaveCount(0);
  await expect(app.locator(".file-row")).toHaveCount(0);
  // the answer given before is kept; the check page lists what is missing and cannot submit
  await page.reload();
  await expect(page.getByLabel("否，本人办理")).toBeChecked();
  await page.goto(page.url() + "/check");
  await expect(page.locator(".error-summary")).toContainText("请回答「项目用地是否涉及集体土地？」");
  await expect(page.locator(".error-summary")).toContainText("请上传「建设项目用地预审申请表」");
  await expect(page.getByRole("button", { name: "确认并提交申请" })).toBeDisabled();
});

test("verify a result document", async ({ page }) => {
  await page.goto("/login?next=/cases");
  await page.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill(DEMO_PERSON.login);
  await page.getByLabel("密码").fill(DEMO_PERSON.password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.locator('a[href^="/cases/"]', { hasText: "地质灾害危险性评估报告备案" }).click();
  await expect(page.getByTestId("state")).toHaveText("已送达");
  await page.getByRole("link", { name: /验证码/ }).click();
  await expect(page.getByTestId("valid")).toContainText("验证通过");
  await expect(page.getByTestId("verification")).toContainText("备案通知书");
  await page.goto("/verify/NOSUCHCODE");
  await expect(page.getByRole("alert")).toContainText("没有找到该验证码");
});
