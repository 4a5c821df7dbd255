import { test, expect } from "./fixtures";
import { PDF, JPEG, PNG, registerPerson } from "./util";

test.use({ javaScriptEnabled: false });

test("the core journey without JavaScript: apply, upload, submit, see the case, track it", async ({ page, context }) => {
  const me = await registerPerson(page, "王芳");
  await page.goto("/items/ZRZY-001");
  await page.getByTestId("apply").click();
  await expect(page).toHaveURL(/\/applications\/\d+$/);

  // answers are saved by the plain form
  await page.getByLabel("否，本人办理").check();
  await page.getByLabel("否", { exact: true }).check();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("已保存");
  await expect(page.getByLabel("否，本人办理")).toBeChecked();

  // a wrong file comes back with the message by the material, the answers kept
  const app = page.locator("#m-application");
  await app.locator("input[type=file]").setInputFiles({ name: "scan.pdf", mimeType: "application/pdf", buffer: PNG });
  await app.getByRole("button", { name: "上传" }).click();
  await expect(page.locator("#m-application .error-message")).toContainText("PDF/OFD");
  await expect(page.getByLabel("否，本人办理")).toBeChecked();

  for (const [material, name, buffer] of [
    ["application", "申请表.pdf", PDF],
    ["id_card", "身份证.jpg", JPEG],
    ["project_approval", "批复.pdf", PDF],
  ] as const) {
    const card = page.locator(`#m-${material}`);
    await card.locator("input[type=file]").setInputFiles({ name, mimeType: "application/octet-stream", buffer });
    await card.getByRole("button", { name: "上传" }).click();
    await expect(page.locator(`#m-${material} .file-row`)).toContainText(name);
  }
  await page.getByRole("link", { name: "检查并提交" }).first().click();
  await expect(page.getByRole("heading", { name: "检查您的申请" })).toBeVisible();
  await page.getByRole("button", { name: "确认并提交申请" }).click();
  await expect(page.getByTestId("confirmation")).toContainText("申请已提交");
  const caseNo = (await page.getByTestId("case-no").textContent())!.trim();
  await expect(page.getByTestId("case-files")).toContainText("身份证.jpg");

  await page.goto("/cases");
  await expect(page.locator(".case-card", { hasText: caseNo })).toContainText("已提交，待受理");

  await context.clearCookies();
  await page.goto("/progress");
  await page.getByLabel("办件编号").fill(caseNo);
  await page.getByLabel("手机号或证件号码后 4 位").fill(me.mobile);
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByTestId("progress-result")).toContainText("提交申请");
});
