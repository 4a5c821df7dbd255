// Screenshots of the item editor's live preview and the notice templates (not a test):
// node end2end/admin-shots.mjs (a server with demo data on BASE)
import { base, launch, login as staffLogin } from "./shots-lib.mjs";
const browser = await launch();
const login = (user, viewport) => staffLogin(browser, user, viewport);
const admin = await login("admin");
await admin.goto(base + "/staff/admin/items/ZJJ-001");
await admin.waitForSelector("body[data-hydrated]");
await admin.getByLabel("是否委托他人代为办理？").selectOption("yes");
await admin.screenshot({ path: "/tmp/shots/item-live.png", fullPage: false });
const rules = admin.getByLabel(/规则数据/);
await rules.fill((await rules.inputValue()).slice(0, 200));
await admin.locator("#item-live-status").scrollIntoViewIfNeeded();
await admin.screenshot({ path: "/tmp/shots/item-live-error.png", fullPage: false });
await admin.goto(base + "/staff/admin/templates");
await admin.screenshot({ path: "/tmp/shots/templates.png", fullPage: true });
await browser.close();
