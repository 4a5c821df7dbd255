import { test, expect } from "./fixtures";
import { DEMO_PERSON, hydrated } from "./util";

test("an applicant follows a case: list, due date, timeline", async ({ page }) => {
  await page.goto("/cases");
  await expect(page).toHaveURL(/\/login\?next=\/cases$/);
  await page.getByLabel("身份证号 / 统一社会信用代码 / 手机号").fill(DEMO_PERSON.login);
  await page.getByLabel("密码").fill(DEMO_PERSON.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await hydrated(page);
  const card = page.locator(".case-card").filter({ hasText: "建设项目用地预审" });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("审查中");
  await expect(card).toContainText(/剩余 \d+ 个工作日/);
  await card.getByRole("link", { name: "建设项目用地预审" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("建设项目用地预审");
  const timeline = page.locator(".timeline li");
  await expect(timeline).toHaveCount(3);
  await expect(timeline.nth(0)).toContainText("提交申请");
  await expect(timeline.nth(1)).toContainText("受理");
  await expect(timeline.nth(2)).toContainText("开始审查");
  await expect(page.getByTestId("due")).toHaveText(/\d{4}-\d{2}-\d{2}/);
});
