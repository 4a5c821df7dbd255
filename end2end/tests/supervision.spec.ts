import { test, expect } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";
import { hydrated, staffPage } from "./util";

const staff = staffPage;

test("the supervisor's dashboard and statistics, exported as CSV and XLSX", async ({ browser, baseURL }, info) => {
  const width = info.project.name === "desktop" ? 1280 : 360;
  const page = await staff(browser, baseURL!, "supervisor", width);
  await hydrated(page);
  await page.getByRole("link", { name: "电子监察", exact: true }).click();
  await expect(page).toHaveURL(/\/staff\/supervision/);
  await expect(page.getByRole("heading", { name: "电子监察", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: /在办件预警/ })).toBeVisible();
  // the three levels add up to the open cases; each has its bar
  for (const level of ["green", "yellow", "red"]) {
    await expect(page.getByTestId(`level-${level}`)).toHaveText(/^\d+$/);
  }
  await expect(page.getByRole("heading", { name: "审计链" })).toBeVisible();
  // the supervisor checks the audit chain from the page
  await page.getByRole("button", { name: "立即校验" }).click();
  await expect(page.getByRole("status")).toContainText("审计链完整");
  await expect(page.getByTestId("audit-run")).toContainText("正常");
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
  if (width < 400) {
    // nothing wider than the phone
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    return;
  }

  await page.getByRole("link", { name: "统计分析", exact: true }).first().click();
  await expect(page).toHaveURL(/\/staff\/stats/);
  await hydrated(page);
  await page.getByLabel("统计口径").selectOption("month");
  await page.getByRole("button", { name: "统计", exact: true }).click();
  await expect(page).toHaveURL(/by=month/);
  await expect(page.getByTestId("stats-table").locator("th").first()).toHaveText("月份");
  await expect(page.locator("svg.chart")).toBeVisible();
  const total = page.getByTestId("stats-table").locator("tbody tr").last();
  await expect(total.locator("td").first()).toHaveText("合计");
  const received = Number(await total.locator("td").nth(1).textContent());

  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "导出 CSV" }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^tongban-stats-month-.*\.csv$/);
  const text = readFileSync((await csv.path())!, "utf8").replace(/^\uFEFF/, "");
  const lines = text.trim().split("\r\n");
  expect(lines[0]).toBe("月份,收件数,不予受理数,办结数,按时办结率,提前办结率,当日办结率,平均用时（工作日）,送达数,按时送达率");
  expect(lines[lines.length - 1].split(",")[0]).toBe("合计");
  expect(Number(lines[lines.length - 1].split(",")[1])).toBe(received);

  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /导出 Excel/ }).click()]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe("PK");
});

test("first-inquiry desk: a consultation is logged, found again and becomes a counter application", async ({ browser, baseURL }, info) => {
  test.skip(info.project.name !== "desktop", "the window's desk is a desktop tool");
  const page = await staff(browser, baseURL!, "clerk", 1280);
  await hydrated(page);
  await page.getByRole("link", { name: "首问登记" }).click();
  await expect(page).toHaveURL(/\/staff\/inquiries$/);
  await hydrated(page);
  const question = `宅基地审批需要哪些材料？${Date.now()}`;
  await page.getByLabel("咨询人").fill("张三");
  await page.getByLabel(/身份证号码或统一社会信用代码/).fill("11010519491231002X");
  await page.getByLabel("咨询事项").selectOption("ZRZY-004");
  await page.getByLabel("咨询问题").fill(question);
  // no answer yet: refused next to the field, the rest kept
  await page.getByRole("button", { name: "登记", exact: true }).click();
  await expect(page.locator(".field-error")).toContainText("请记录给出的答复");
  await expect(page.getByLabel("咨询问题")).toHaveValue(question);
  await expect(page.getByLabel("咨询事项")).toHaveValue("ZRZY-004");
  await hydrated(page);
  await page.getByLabel("答复内容").fill("身份证明、申请表；可在网上申报，也可窗口帮办。");
  await page.getByRole("button", { name: "登记", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("已记录咨询");
  await page.getByLabel(/按姓名、电话/).fill(question.slice(-13));
  await page.getByRole("button", { name: "查找" }).click();
  const item = page.getByTestId("consultation").filter({ hasText: question });
  await expect(item).toHaveCount(1);
  await item.getByRole("button", { name: "转为窗口申请" }).click();
  // an account opened online: the counter's page first, where the clerk checks its holder's
  // document in person before anything is started on it
  await expect(page).toHaveURL(/\/staff\/intake\?number=11010519491231002X$/);
  await expect(page.getByTestId("intake-identity-state")).toHaveText("未经窗口核验（网上注册）");
  await page.getByLabel("办理事项").selectOption("ZRZY-004");
  await page.getByRole("button", { name: "开始帮办" }).click();
  await expect(page.locator("#form-intake-start .error-message")).toContainText("核对申请人本人的身份证件原件");
  await page.locator("#intake-identity").check();
  await page.getByLabel("办理事项").selectOption("ZRZY-004");
  await page.getByRole("button", { name: "开始帮办" }).click();
  await expect(page).toHaveURL(/\/applications\/\d+$/);
});

test("an administrator edits an item (a new version, with the checklist preview) and a calendar day", async ({ browser, baseURL }, info) => {
  test.skip(info.project.name !== "desktop", "administration is a desktop tool");
  const page = await staff(browser, baseURL!, "admin", 1280);
  await hydrated(page);
  await page.getByRole("link", { name: "系统管理", exact: true }).click();
  await expect(page).toHaveURL(/\/staff\/admin$/);

  // the item: preview for an agent, then a new version; bad rule data is refused and kept
  await page.getByRole("link", { name: "事项目录" }).click();
  await page.getByRole("link", { name: "ZJJ-001" }).click();
  await expect(page).toHaveURL(/\/staff\/admin\/items\/ZJJ-001$/);
  await hydrated(page);
  await expect(page.getByTestId("item-preview")).not.toContainText("授权委托书");
  // live: the browser recomputes the checklist (rules crate in wasm) as answers change…
  await page.getByLabel("是否委托他人代为办理？").selectOption("yes");
  await expect(page.getByTestId("item-preview")).toContainText("授权委托书");
  await page.getByLabel("是否委托他人代为办理？").selectOption("no");
  await expect(page.getByTestId("item-preview")).not.toContainText("授权委托书");
  // …and as the unsaved rule data is typed; bad JSON is named with its place
  const rules = page.getByLabel(/规则数据/);
  const original = await rules.inputValue();
  await page.getByLabel("是否委托他人代为办理？").selectOption("yes");
  await rules.fill(original.replaceAll("授权委托书", "代理人授权书"));
  await expect(page.getByTestId("item-preview")).toContainText("代理人授权书");
  await rules.fill("{ broken");
  await expect(page.locator("#item-live-status")).toContainText(/不是有效的 JSON：第 1 行第 \d+ 列，/);
  // the preview button asks the server (the page without JavaScript)
  await rules.fill(original);
  await page.getByRole("button", { name: "预览" }).click();
  await expect(page).toHaveURL(/q_via_agent=yes/);
  await expect(page.getByTestId("item-preview")).toContainText("授权委托书");
  await hydrated(page);
  await page.getByLabel(/规则数据/).fill("{ broken");
  await page.getByRole("button", { name: "保存为新版本" }).click();
  await expect(page.locator(".field-error")).toContainText("规则数据有误");
  await expect(page.getByLabel(/规则数据/)).toHaveValue("{ broken");
  await hydrated(page);
  await page.getByLabel(/规则数据/).fill(original);
  await page.getByLabel("简介").fill("施工许可：住建、自然资源、应急管理并联审批（2026 修订）");
  await page.getByRole("button", { name: "保存为新版本" }).click();
  await expect(page.getByRole("status")).toContainText(/已保存为第 \d+ 版/);
  await expect(page.getByLabel("简介")).toHaveValue("施工许可：住建、自然资源、应急管理并联审批（2026 修订）");

  // a calendar day (in the past, so no other test's deadline moves)
  await page.getByRole("link", { name: "节假日日历" }).click();
  await expect(page).toHaveURL(/\/staff\/admin\/calendar/);
  await hydrated(page);
  await page.getByLabel("日期", { exact: true }).fill("2026-03-02");
  await page.getByLabel("类型").selectOption("workday");
  await page.getByLabel(/名称/).fill("测试调休");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.locator(".field-error")).toContainText("调休上班日只能是周末");
  await hydrated(page);
  await page.getByLabel("类型").selectOption("holiday");
  await page.getByLabel(/名称/).fill("测试假日");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("日历已更新");
  await expect(page.getByTestId("calendar-days").getByRole("row", { name: /2026-03-02/ })).toContainText("测试假日");
});
