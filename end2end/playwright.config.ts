import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// One fresh data directory per run (set once in the main process, inherited by the workers).
process.env.TONGBAN_E2E_DATA ??= mkdtempSync(join(tmpdir(), "tongban-e2e-"));
const port = Number(process.env.TONGBAN_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: { baseURL, locale: "zh-CN", launchOptions: chromium, trace: "retain-on-failure" },
  projects: [
    { name: "phone-360", use: { browserName: "chromium", viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } },
    { name: "desktop", use: { browserName: "chromium", viewport: { width: 1280, height: 800 } } },
  ],
  webServer: {
    // The release build by default (what scripts/run serves); TONGBAN_E2E_BIN picks another.
    command: `${process.env.TONGBAN_E2E_BIN ?? "../target/release/tongban"} serve`,
    url: `${baseURL}/readyz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      LEPTOS_SITE_ROOT: "../target/site",
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      TONGBAN_DATA_DIR: process.env.TONGBAN_E2E_DATA,
      TONGBAN_SEED_DEMO: "true",
      TONGBAN_LOG: "warn",
      // every spec registers from 127.0.0.1
      TONGBAN_SMS_CODES_PER_ADDRESS_HOUR: "100000",
    },
  },
});
