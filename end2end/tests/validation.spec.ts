import { test, expect } from "./fixtures";
import { hydrated } from "./util";

test("the browser checks an ID number with the rules crate before anything is sent", async ({ page }) => {
  const posts: string[] = [];
  page.on("request", (r) => { if (r.method() === "POST") posts.push(r.url()); });
  await page.goto("/register");
  await hydrated(page);
  const id = page.getByLabel("居民身份证号码");
  await id.fill("110105194912310021"); // wrong check character
  await id.blur();
  await expect(page.locator("#f-id_card_no-error")).toHaveText("校验位不正确，请核对号码是否输错");
  await expect(id).toHaveAttribute("aria-invalid", "true");

  await page.getByRole("button", { name: "注册" }).click();
  const summary = page.locator(".error-summary");
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("请输入姓名");
  await expect(summary).toContainText("请输入手机号码");
  expect(posts).toEqual([]);

  await id.fill("11010519491231002x");
  await id.blur();
  await expect(page.locator("#f-id_card_no-error")).toBeHidden();
});
