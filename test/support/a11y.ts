// Checks a page a screen reader can read: every visible form control has an accessible name (a label, aria-label
// or aria-labelledby; buttons their text), and nothing has an id twice (labels point at ids).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

export async function assertAccessible(page: Page, screen: string): Promise<void> {
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    const describe = (element: Element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${element.getAttribute("name") ? `[name=${element.getAttribute("name")}]` : ""}`;
    for (const element of document.querySelectorAll("input, select, textarea, button")) {
      const control = element as HTMLInputElement;
      if (control.type === "hidden" || control.closest("[hidden]")) continue;
      const named =
        (control.labels?.length ?? 0) > 0 ||
        Boolean(control.getAttribute("aria-label")?.trim()) ||
        Boolean(control.getAttribute("aria-labelledby")) ||
        (control.tagName === "BUTTON" && Boolean(control.textContent?.trim()));
      if (!named) found.push(`${describe(control)} has no accessible name`);
    }
    const ids = new Map<string, number>();
    for (const element of document.querySelectorAll("[id]")) ids.set(element.id, (ids.get(element.id) ?? 0) + 1);
    for (const [id, count] of ids) if (count > 1) found.push(`id '${id}' is used ${count} times`);
    return found;
  });
  assert.deepEqual(problems, [], `${screen}: every control is labelled and ids are unique`);
}
