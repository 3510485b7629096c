// Markdown ⇄ Jira rich text (ADF on Cloud, wiki markup on Data Center): round trips on real content, and through
// the sandbox Jira over HTTP on both flavours.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { validateAdf } from "../../src/content/adf-schema.ts";
import { JiraClient } from "../../src/jira/client.ts";
import { ConnectorLimiter } from "../../src/jira/limiter.ts";
import { adfToMarkdown, fromJiraRichText, markdownToAdf, toJiraRichText } from "../../src/jira/rich-text.ts";
import { useSandbox } from "../support/sandbox.ts";

const SAMPLES = [
  "Plain text.",
  "Some **bold**, _italic_, ~~struck~~ and `code` with a [link](https://example.com/a).",
  "# Title\n\nA paragraph.\n\n## Sub\n\n- one\n- two\n  - nested\n\n1. first\n2. second",
  "```ts\nconst a = 1;\n```",
  "> quoted\n> text",
  "| a | b |\n| - | - |\n| 1 | 2 |",
  "Line one\\\nline two",
  "before\n\n***\n\nafter",
];

/** The Markdown serialiser's own normal form, so the comparison is about content, not spelling. */
const normal = (markdown: string) => adfToMarkdown(markdownToAdf(markdown));

describe("Markdown ⇄ ADF", () => {
  for (const sample of SAMPLES) {
    it(`keeps ${JSON.stringify(sample.slice(0, 30))} through ADF and back`, () => {
      const doc = markdownToAdf(sample);
      assert.ok(validateAdf(doc).ok, "valid ADF");
      const once = adfToMarkdown(doc);
      assert.equal(adfToMarkdown(markdownToAdf(once)), once, "stable after one round trip");
      assert.equal(fromJiraRichText(doc), once);
    });
  }

  it("maps marks and blocks to the ADF Jira expects", () => {
    const doc = markdownToAdf("**b** _i_ `c` [l](https://x.test)\n\n- a");
    const paragraph = doc.content[0]!;
    const marksOf = (text: string) => paragraph.content!.find((node) => node.text === text)?.marks?.map((mark) => mark.type);
    assert.deepEqual(marksOf("b"), ["strong"]);
    assert.deepEqual(marksOf("i"), ["em"]);
    assert.deepEqual(marksOf("c"), ["code"]);
    assert.deepEqual(marksOf("l"), ["link"]);
    assert.equal(doc.content[1]!.type, "bulletList");
  });

  it("reads every real capture's wiki-markup description into Markdown without losing its text", () => {
    const dir = new URL("../fixtures/jira-webhooks/", import.meta.url);
    let seen = 0;
    for (const name of readdirSync(dir)) {
      const body = JSON.parse(readFileSync(new URL(name, dir), "utf8"));
      const description = body.issue?.fields?.description;
      if (typeof description !== "string" || description.trim() === "") continue;
      const markdown = fromJiraRichText(description)!;
      const words = description.replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").filter((word: string) => word.length > 3 && !/^(color|quote|code|noformat|panel|http|https)$/i.test(word));
      for (const word of words.slice(0, 10)) assert.ok(markdown.includes(word), `${name}: '${word}' kept`);
      seen += 1;
    }
    assert.ok(seen > 0);
  });
});

const cloud = useSandbox({ flavour: "cloud" });
const dc = useSandbox({ flavour: "dc" });

describe("rich text through the sandbox Jira", () => {
  for (const flavour of ["cloud", "dc"] as const) {
    it(`writes Markdown as ${flavour === "cloud" ? "ADF" : "wiki markup"} and reads the same Markdown back`, async () => {
      const sandbox = flavour === "cloud" ? cloud() : dc();
      const jira = new JiraClient({
        flavour,
        siteUrl: sandbox.url,
        credentials: flavour === "cloud" ? { mode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" } : { mode: "password", username: "alice", password: "alice-password" },
        limiter: new ConnectorLimiter(),
      });
      for (const sample of SAMPLES.slice(0, 6)) {
        const created = await jira.createIssue({ project: { key: "SCHED" }, issuetype: { name: "Task" }, summary: "rich text", description: toJiraRichText(sample, flavour) });
        const issue = await jira.getIssue(created.key, { fields: ["description"] });
        if (flavour === "cloud") assert.equal(typeof issue.fields!.description, "object");
        else assert.equal(typeof issue.fields!.description, "string");
        assert.equal(fromJiraRichText(issue.fields!.description), normal(sample), sample);
      }
    });
  }
});
