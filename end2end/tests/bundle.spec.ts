// 一件事 (issue J2): one application for the three items of KG-001, in three departments. The
// applicant answers the shared question once, uploads each shared material once (a wrong file is
// refused at its line and nothing typed is lost), sends everything at once, and then follows three
// cases, each with its own number and its own clock, on one page; the 综合窗口 accepts the three at
// once. Every page passes axe.
import { test, expect } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { PDF, JPEG, PNG, registerPerson, hydrated, staffPage } from "./util";

async function noViolations(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("一件事: answered once, each shared material uploaded once, sent at once — three cases, three departments, three clocks", async ({ page, browser, baseURL }) => {
  test.setTimeout(150_000);
  await registerPerson(page, "欧阳开工");
  // the merged checklist follows the answers in the browser (rules::bundle in wasm), no reload
  await page.goto("/bundles/KG-001");
  await hydrated(page);
  const list = page.getByTestId("bundle-checklist");
  await expect(list).toContainText("营业执照");
  const before = page.url();
  await page.getByLabel("个人", { exact: true }).check();
  await expect(list).toContainText("申请人身份证明");
  await expect(list).not.toContainText("营业执照");
  expect(page.url()).toBe(before);
  await page.getByTestId("bundle-start").click();
  await expect(page).toHaveURL(/\/bundle-applications\/\d+$/);
  const appUrl = page.url();
  await hydrated(page);
  await noViolations(page);
  await expect(page.getByTestId("bundle-submit")).toBeDisabled();
  await expect(page.getByTestId("bundle-problems")).toBeVisible();

  // the questions, once: no agent for the shared one, the first answer for each item's own
  const questions = page.locator("#bq-h + form fieldset");
  const n = await questions.count();
  expect(n).toBeGreaterThan(1);
  for (let i = 0; i < n; i++) {
    const q = questions.nth(i);
    const self = q.getByLabel("否，本人办理");
    if (await self.count()) await self.check();
    else await q.locator("input[type=radio]").first().check();
  }
  await page.getByRole("button", { name: "保存回答" }).click();
  await expect(page.getByRole("status")).toContainText("已保存");
  await expect(page.getByLabel("否，本人办理")).toBeChecked();

  // the ID card: one line for the three items
  const idLine = page.locator("#m-id_card");
  await expect(idLine).toContainText("只需上传一次");
  for (const item of ["建设项目用地预审", "建筑工程施工许可证核发", "非煤矿山建设项目安全设施设计审查"]) {
    await expect(idLine).toContainText(item);
  }
  await expect(page.locator("#m-agent_authorization")).toHaveCount(0);

  // a file no slot takes is refused at its line; the answers are kept
  const lines = page.getByTestId("bundle-line");
  const count = await lines.count();
  let refusedOne = false;
  for (let i = 0; i < count; i++) {
    const line = lines.nth(i);
    const accept = (await line.locator("input[type=file]").getAttribute("accept")) ?? "";
    if (!refusedOne && !accept.includes("png")) {
      await line.locator("input[type=file]").setInputFiles({ name: "扫描件.pdf", mimeType: "application/pdf", buffer: PNG });
      await line.getByRole("button", { name: "上传" }).click();
      await expect(page.locator(".material-card.field-error .error-message")).toBeVisible();
      await expect(page.getByLabel("否，本人办理")).toBeChecked();
      refusedOne = true;
    }
    const [name, buffer] = accept.includes("pdf") ? [`材料${i}.pdf`, PDF] : [`材料${i}.jpg`, JPEG];
    const again = page.getByTestId("bundle-line").nth(i);
    await again.locator("input[type=file]").setInputFiles({ name, mimeType: "application/octet-stream", buffer });
    await again.getByRole("button", { name: "上传" }).click();
    await expect(page.getByTestId("bundle-line").nth(i).getByTestId("bundle-file")).toContainText(name);
  }
  expect(refusedOne).toBe(true);

  // a reload keeps everything; then all is sent at once
  await page.reload();
  await expect(page.getByTestId("bundle-file")).toHaveCount(count);
  await expect(page.getByTestId("bundle-problems")).toHaveCount(0);
  await page.getByTestId("bundle-submit").click();
  await expect(page.getByRole("status")).toContainText("已提交");
  await expect(page).toHaveURL(appUrl);

  // three cases in three departments, each numbered, each on its own clock
  const rows = page.getByTestId("bundle-case");
  await expect(rows).toHaveCount(3);
  const departments = new Set<string>();
  const numbers = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const cells = rows.nth(i).locator("td");
    departments.add((await cells.nth(1).textContent())!.trim());
    numbers.add((await cells.nth(2).textContent())!.trim());
    await expect(rows.nth(i).getByTestId("bundle-clock")).toContainText(/受理期限：\d{4}-\d{2}-\d{2}/);
  }
  expect(departments.size).toBe(3);
  expect(numbers.size).toBe(3);
  await expect(page.getByTestId("bundle-combined")).toBeVisible();
  await noViolations(page);

  // the 综合窗口 accepts the three at once: each case then runs on its decision clock
  const firstCase = (await rows.first().getByRole("link").getAttribute("href"))!.match(/\/cases\/(\d+)/)![1];
  const window = await staffPage(browser, baseURL!, "window", page.viewportSize()!.width);
  await window.goto(`/staff/cases/${firstCase}`);
  await expect(window.getByTestId("staff-bundle-case")).toHaveCount(3);
  await window.getByTestId("accept-bundle").click();
  await expect(window.getByRole("status")).toContainText("3 个事项");
  await page.reload();
  for (let i = 0; i < 3; i++) {
    await expect(rows.nth(i).getByTestId("bundle-clock")).toContainText(/办理期限：\d{4}-\d{2}-\d{2}/);
  }
  await window.context().close();

  // each case's page leads back
  await rows.first().getByRole("link").click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  await expect(page.getByTestId("case-bundle")).toBeVisible();
  await page.getByTestId("case-bundle").getByRole("link").click();
  await expect(page).toHaveURL(appUrl);
});

test("the admin's 一件事 editor: a refusal in Chinese keeps what was typed; the pages pass axe", async ({ browser, baseURL }, info) => {
  test.skip(info.project.name !== "desktop", "an admin's desktop tool");
  const admin = await staffPage(browser, baseURL!, "admin");
  await admin.goto("/staff/admin/bundles");
  await noViolations(admin);
  await admin.getByRole("link", { name: "KG-001" }).click();
  await expect(admin.locator("select[name='m0__ZRZY-001']")).toHaveValue("id_card");
  await noViolations(admin);
  await admin.goto("/staff/admin/bundles/new");
  await admin.getByLabel("编码", { exact: true }).fill("E2E-1");
  await admin.getByLabel("名称", { exact: true }).fill("只有一个事项");
  await admin.getByLabel(/ZRZY-001/).check();
  await admin.getByTestId("bundle-admin-save").click();
  await expect(admin.getByTestId("bundle-admin-errors")).toContainText("一件事至少包含两个事项");
  await expect(admin.getByLabel("名称", { exact: true })).toHaveValue("只有一个事项");
  await expect(admin.getByLabel(/ZRZY-001/)).toBeChecked();
  await noViolations(admin);
});
