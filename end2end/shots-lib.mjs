// Shared by the screenshot scripts (not tests): a headless Debian Chromium and a staff login.
import { chromium } from "@playwright/test";
import { totp } from "../scripts/totp.mjs";

export const base = process.env.BASE ?? "http://127.0.0.1:3005";

export function launch() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}

/** A signed-in staff page (demo password), optionally in elder mode. */
export async function login(browser, user, viewport = { width: 1280, height: 900 }, elder = false) {
  const ctx = await browser.newContext({ viewport, locale: "zh-CN" });
  if (elder) await ctx.addCookies([{ name: "tb_elder", value: "1", url: base }]);
  const page = await ctx.newPage();
  await page.goto(base + "/staff/login");
  await page.getByLabel("工号").fill(user);
  await page.getByLabel("密码").fill("Tongban-Demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(/\/staff($|\/second-factor)/);
  if (page.url().includes("/second-factor")) {
    await page.getByLabel("动态码", { exact: true }).fill(totp());
    await page.getByRole("button", { name: "验证并登录" }).click();
    await page.waitForURL(/\/staff$/);
  }
  return page;
}
