import { Page, expect } from "@playwright/test";

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid GB 11643 number with a random sequence (unique enough per run). */
export function newIdCard(birth = "19900101"): string {
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
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
}

export const DEMO_PERSON = { login: "11010519491231002X", password: "Shenqing-Demo-2026", name: "张三" };
export const DEMO_CLERK = { username: "clerk", password: "Tongban-Demo-2026" };
