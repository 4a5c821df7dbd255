import { Browser, Page, expect } from "@playwright/test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { totp, untilNextStep } from "../../scripts/totp.mjs";

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A random birth date (YYYYMMDD) between 1950 and 2005. */
function randomBirth(): string {
  const d = new Date(Date.UTC(1950, 0, 1) + Math.floor(Math.random() * 55 * 365.25) * 86_400_000);
  return d.toISOString().slice(0, 10).replaceAll("-", "");
}

/**
 * A valid GB 11643 number with a random birth date and sequence: about 80 million values, so the
 * few dozen a run registers do not collide (with the birth date fixed there were 4,000, and one
 * run in ten or so met "already registered").
 */
export function newIdCard(birth = randomBirth()): string {
  const seq = String(Math.floor(Math.random() * 1000)).padStart(3, "0");
  const region = ["110105", "310104", "440305", "510107"][Math.floor(Math.random() * 4)];
  const body = region + birth + seq;
  const sum = [...body].reduce((s, c, i) => s + Number(c) * W[i], 0);
  return body + "10X98765432"[sum % 11];
}

export function newMobile(): string {
  return "139" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

/** Waits until the wasm has hydrated the page (the app marks <body>). */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 30_000 });
}

export const DEMO_PERSON = { login: "11010519491231002X", password: "Shenqing-Demo-2026", name: "张三" };
export const DEMO_CLERK = { username: "clerk", password: "Tongban-Demo-2026" };

/**
 * The newest code texted to `mobile`: the browser tests' server has no SMS provider, so it writes
 * each text to `<data dir>/sms-outbox.log`.
 */
export async function textedCode(mobile: string): Promise<string> {
  const file = join(process.env.TONGBAN_E2E_DATA!, "sms-outbox.log");
  for (let i = 0; i < 50; i++) {
    if (existsSync(file)) {
      const mine = readFileSync(file, "utf8").split("\n").filter((l) => l.includes(` ${mobile} `));
      const m = mine.at(-1)?.match(/验证码是 (\d{6})/);
      if (m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code was texted to ${mobile}`);
}

/**
 * On the registration form (its mobile typed): asks for the code, which brings the form back
 * with what was typed (the passwords aside), and types the code.
 */
export async function proveMobile(page: Page, mobile: string) {
  await page.getByRole("button", { name: "获取短信验证码" }).click();
  await expect(page.getByRole("status")).toContainText("验证码已发送");
  await expect(page.getByLabel("手机号码")).toHaveValue(mobile);
  await page.getByLabel("短信验证码").fill(await textedCode(mobile));
}

/** Registers a new person through the form and returns their name and mobile (logged in). */
export async function registerPerson(page: Page, name = "韩梅梅"): Promise<{ name: string; mobile: string; id: string; password: string }> {
  const id = newIdCard();
  const mobile = newMobile();
  const password = "青山绿水常在-" + Date.now();
  await page.goto("/register");
  await page.getByLabel("个人", { exact: true }).check();
  await page.getByLabel("姓名", { exact: true }).fill(name);
  await page.getByLabel("居民身份证号码").fill(id);
  await page.getByLabel("手机号码").fill(mobile);
  await proveMobile(page, mobile);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByLabel("再次输入密码").fill(password);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/account$/);
  return { name, mobile, id, password };
}

export const PDF = Buffer.from("%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.from("0000000000000000")]);
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from("rest-of-a-jpeg")]);

/** A PDF of `bytes` bytes (padding after the header). */
export function bigPdf(bytes: number): Buffer {
  const b = Buffer.alloc(bytes, 0x61);
  PDF.copy(b, 0);
  return b;
}

/** A staff member's page, logged in (desktop by default). */
export async function staffPage(browser: Browser, baseURL: string, username: string, width = 1280): Promise<Page> {
  const ctx = await browser.newContext({ baseURL, locale: "zh-CN", viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await ctx.newPage();
  await signInStaff(page, username);
  return page;
}

/**
 * Signs a demo member of staff in on `page`: the password, then — for the admin and the approver,
 * whose second factor is the demo's public TOTP secret — the code, again at the next 30-second
 * step when another sign-in of the account took this step's.
 */
export async function signInStaff(page: Page, username: string) {
  await page.goto("/staff/login");
  await page.getByLabel("工号").fill(username);
  await page.getByLabel("密码").fill(DEMO_CLERK.password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(/\/staff($|\/second-factor)/);
  for (let i = 0; i < 3 && page.url().includes("/staff/second-factor"); i++) {
    if (i > 0) await page.waitForTimeout(untilNextStep());
    await page.getByLabel("动态码", { exact: true }).fill(totp());
    await Promise.all([
      page.waitForResponse((r) => r.url().includes("/api/second_factor")),
      page.getByRole("button", { name: "验证并登录" }).click(),
    ]);
    await page.waitForLoadState();
  }
  await expect(page).toHaveURL(/\/staff$/);
}

/**
 * From the open guide page of ZRZY-001 (hydrated): starts an application, answers, uploads the
 * three required materials, submits; returns the case number, the case page's and the draft's
 * addresses.
 */
export async function applyForZrzy001(page: Page): Promise<{ caseNo: string; caseUrl: string; draftUrl: string }> {
  await page.getByTestId("apply").click();
  await hydrated(page);
  const draftUrl = page.url();
  await page.getByLabel("否，本人办理").check();
  await page.getByLabel("否", { exact: true }).check();
  await expect(page.getByTestId("autosave")).toHaveText("已自动保存");
  for (const [material, name, buffer] of [["id_card", "身份证.jpg", JPEG], ["application", "申请表.pdf", PDF], ["project_approval", "批复.pdf", PDF]] as const) {
    const card = page.locator(`#m-${material}`);
    await card.locator("input[type=file]").setInputFiles({ name, mimeType: "application/octet-stream", buffer });
    await card.getByRole("button", { name: "上传" }).click();
    await expect(card.locator(".file-row")).toContainText(name);
  }
  await page.goto(draftUrl + "/check");
  await page.getByRole("button", { name: "确认并提交申请" }).click();
  const caseNo = (await page.getByTestId("case-no").textContent())!.trim();
  return { caseNo, caseUrl: page.url().replace(/\?.*$/, ""), draftUrl };
}
