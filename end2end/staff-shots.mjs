// Screenshots of the back office pages added for issue D (not a test): node end2end/staff-shots.mjs
import { base, launch, login as staffLogin } from "./shots-lib.mjs";
const browser = await launch();
const PDF = Buffer.from("%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const login = (user, viewport) => staffLogin(browser, user, viewport);
const clerk = await login("clerk");
await clerk.goto(base + "/staff/intake?number=110105197003150018");
await clerk.screenshot({ path: "/tmp/shots/intake-new.png", fullPage: true });
if (await clerk.getByTestId("intake-new").count()) {
  await clerk.getByLabel("姓名").fill("郑大爷");
  await clerk.getByLabel("手机号码").fill("13912345678");
  await clerk.getByRole("button", { name: "登记申请人" }).click();
}
await clerk.screenshot({ path: "/tmp/shots/intake-found.png", fullPage: true });
await clerk.getByLabel("办理事项").selectOption("ZRZY-003");
await clerk.getByRole("button", { name: "开始帮办" }).click();
await clerk.waitForSelector("body[data-hydrated]");
const draft = clerk.url();
for (const m of ["id_card", "application", "household", "village_opinion"]) {
  const card = clerk.locator(`#m-${m}`);
  if (!(await card.count())) continue;
  await card.locator("input[type=file]").setInputFiles({ name: m + ".pdf", mimeType: "application/pdf", buffer: PDF });
  await card.getByRole("button", { name: "上传" }).click();
  await card.locator(".file-row").first().waitFor();
}
await clerk.goto(draft + "/check");
await clerk.getByRole("button", { name: "确认并提交申请" }).click();
await clerk.waitForURL(/staff\/cases/);
const caseUrl = clerk.url();
await clerk.locator("#form-accept button[type=submit]").click();
await clerk.waitForURL(/staff\/cases/);
const village = await login("village");
await village.goto(base + "/staff/queue?bucket=opinions");
await village.screenshot({ path: "/tmp/shots/queue-opinions.png", fullPage: true });
await village.goto(caseUrl);
await village.screenshot({ path: "/tmp/shots/case-village.png", fullPage: true });
const phone = await login("approver", { width: 360, height: 740 });
await phone.goto(caseUrl);
await phone.screenshot({ path: "/tmp/shots/case-approver-phone.png", fullPage: true });
await browser.close();
