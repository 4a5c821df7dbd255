// Every spec imports `test` from here: it fails a test on any console error or uncaught page error
// in any page it opened (its own `page`, and every context made with `browser.newContext`), so a
// bundle that panics while it hydrates cannot pass (the page still renders and its forms still post,
// so nothing else would notice).
import { test as base, expect, BrowserContext } from "@playwright/test";

export { expect };
export type { Browser, Page } from "@playwright/test";

/** Console errors a test causes on purpose: the browser's own line for a refused request. */
const EXPECTED = [/^Failed to load resource: the server responded with a status of (4\d\d)/];

function watch(context: BrowserContext, errors: string[]) {
  context.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const text = msg.text();
    if (EXPECTED.some((re) => re.test(text))) return;
    errors.push(`console.error on ${msg.page()?.url() ?? "?"}: ${text}`);
  });
  context.on("weberror", (e) => errors.push(`page error on ${e.page()?.url() ?? "?"}: ${e.error().stack ?? e.error().message}`));
}

export const test = base.extend<{ browserErrors: string[] }>({
  browserErrors: [
    async ({ browser }, use) => {
      const errors: string[] = [];
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const ctx = await newContext(...args);
        watch(ctx, errors);
        return ctx;
      };
      await use(errors);
      browser.newContext = newContext;
      expect(errors, "the browser reported errors").toEqual([]);
    },
    { auto: true },
  ],
  context: async ({ context, browserErrors }, use) => {
    watch(context, browserErrors);
    await use(context);
  },
});
