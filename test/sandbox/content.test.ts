// The sandbox's rich-text module: wiki markup ↔ ADF conversion, ADF validation, plain text.
// Round trips are checked both ways, and real Jira descriptions and comment bodies (test/fixtures, copied from ../shared/fixtures) go through it.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  adfToPlainText,
  adfToWiki,
  INVALID_ADF,
  plainToAdf,
  richTextToPlain,
  toAdf,
  toWiki,
  validateAdf,
  wikiToAdf,
} from "../../src/sandbox/content/index.ts";
import type { AdfDoc, AdfNode } from "../../src/sandbox/model/types.ts";

const doc = (...content: AdfNode[]): AdfDoc => ({ type: "doc", version: 1, content });
const p = (...content: AdfNode[]): AdfNode => (content.length ? { type: "paragraph", content } : { type: "paragraph" });
const t = (text: string, ...marks: NonNullable<AdfNode["marks"]>): AdfNode => (marks.length ? { type: "text", text, marks } : { type: "text", text });
const strong = { type: "strong" };
const em = { type: "em" };
const link = (href: string) => ({ type: "link", attrs: { href } });
const br: AdfNode = { type: "hardBreak" };
const item = (...content: AdfNode[]): AdfNode => ({ type: "listItem", content });
const table = (...rows: AdfNode[][]): AdfNode => ({
  type: "table",
  attrs: { isNumberColumnEnabled: false, layout: "default" },
  content: rows.map((cells) => ({ type: "tableRow", content: cells })),
});
const th = (...content: AdfNode[]): AdfNode => ({ type: "tableHeader", content });
const td = (...content: AdfNode[]): AdfNode => ({ type: "tableCell", content });

/** wiki → ADF → wiki gives the same text, and ADF → wiki → ADF the same document. */
function assertStableWiki(wiki: string, expected?: AdfDoc) {
  const adf = wikiToAdf(wiki);
  if (expected) assert.deepEqual(adf, expected);
  assert.equal(adfToWiki(adf), wiki);
  assert.deepEqual(wikiToAdf(adfToWiki(adf)), adf);
  assert.equal(validateAdf(adf).ok, true);
}

describe("wiki → ADF → wiki", () => {
  it("paragraphs and hard breaks", () => {
    assertStableWiki("first line\nsecond line\n\nnext paragraph", doc(p(t("first line"), br, t("second line")), p(t("next paragraph"))));
  });

  it("headings h1–h6", () => {
    for (let level = 1; level <= 6; level++) {
      assertStableWiki(`h${level}. Title ${level}`, doc({ type: "heading", attrs: { level }, content: [t(`Title ${level}`)] }));
    }
  });

  it("bold, italic, strikethrough, underline, monospace", () => {
    assertStableWiki(
      "Some *bold*, _italic_, -struck-, +under+ and {{code()}} text.",
      doc(p(t("Some "), t("bold", strong), t(", "), t("italic", em), t(", "), t("struck", { type: "strike" }), t(", "), t("under", { type: "underline" }), t(" and "), t("code()", { type: "code" }), t(" text."))),
    );
  });

  it("nested marks come out in the schema's order", () => {
    assertStableWiki("_*both*_", doc(p(t("both", em, strong))));
    // The other nesting reads as the same marks and is written in the canonical nesting.
    assert.deepEqual(wikiToAdf("*_both_*"), doc(p(t("both", em, strong))));
    assert.equal(adfToWiki(wikiToAdf("*_both_*")), "_*both*_");
  });

  it("links with text, bare URLs and bracketed URLs", () => {
    assertStableWiki(
      "See [the docs|https://example.com/docs] or https://example.com/x.",
      doc(p(t("See "), t("the docs", link("https://example.com/docs")), t(" or "), t("https://example.com/x", link("https://example.com/x")), t("."))),
    );
    // [url] is the same link as the bare URL, and is written back bare.
    assert.deepEqual(wikiToAdf("[https://example.com]"), doc(p(t("https://example.com", link("https://example.com")))));
    assert.equal(adfToWiki(wikiToAdf("[https://example.com]")), "https://example.com");
  });

  it("Cloud mentions ([~accountid:…]) and DC mentions ([~username])", () => {
    assertStableWiki("cc [~accountid:5b10a2844c20165700ede21g] please", doc(p(t("cc "), { type: "mention", attrs: { id: "5b10a2844c20165700ede21g", text: "@5b10a2844c20165700ede21g" } }, t(" please"))));
    const dc = wikiToAdf("ping [~jsmith]");
    assert.deepEqual(dc, doc(p(t("ping "), { type: "mention", attrs: { id: "jsmith", text: "@jsmith" } })));
    assert.equal(adfToWiki(dc, { mentions: "username" }), "ping [~jsmith]");
    assert.equal(adfToWiki(dc), "ping [~accountid:jsmith]");
  });

  it("nested bullet and numbered lists", () => {
    assertStableWiki(
      "* one\n* two\n** two.a\n** two.b\n* three",
      doc({
        type: "bulletList",
        content: [
          item(p(t("one"))),
          item(p(t("two")), { type: "bulletList", content: [item(p(t("two.a"))), item(p(t("two.b")))] }),
          item(p(t("three"))),
        ],
      }),
    );
    assertStableWiki(
      "# first\n## nested\n#* mixed bullet\n# second",
      doc({
        type: "orderedList",
        content: [
          item(p(t("first")), { type: "orderedList", content: [item(p(t("nested")))] }, { type: "bulletList", content: [item(p(t("mixed bullet")))] }),
          item(p(t("second"))),
        ],
      }),
    );
  });

  it("a list line continues on the next line as a hard break", () => {
    assertStableWiki("* item\ncontinued", doc({ type: "bulletList", content: [item(p(t("item"), br, t("continued")))] }));
  });

  it("code blocks keep their language and raw content; {noformat} is a code block without one", () => {
    assertStableWiki(
      "{code:java}\nint x = 1;\n  *not bold*\n{code}",
      doc({ type: "codeBlock", attrs: { language: "java" }, content: [t("int x = 1;\n  *not bold*")] }),
    );
    assertStableWiki("{noformat}\nlog | line\n{noformat}", doc({ type: "codeBlock", content: [t("log | line")] }));
    assert.deepEqual(wikiToAdf("{code:language=sql|title=Query}\nselect 1\n{code}"), doc({ type: "codeBlock", attrs: { language: "sql" }, content: [t("select 1")] }));
    // {code} without a language reads as a code block and is written back as {noformat}.
    assert.equal(adfToWiki(wikiToAdf("{code}one-liner{code}")), "{noformat}\none-liner\n{noformat}");
  });

  it("block quotes: {quote} round trips; bq. reads as the same quote", () => {
    assertStableWiki("{quote}\nquoted *text*\n{quote}", doc({ type: "blockquote", content: [p(t("quoted "), t("text", strong))] }));
    assert.deepEqual(wikiToAdf("bq. short quote"), doc({ type: "blockquote", content: [p(t("short quote"))] }));
    assert.equal(adfToWiki(wikiToAdf("bq. short quote")), "{quote}\nshort quote\n{quote}");
  });

  it("horizontal rules", () => {
    assertStableWiki("above\n\n----\n\nbelow", doc(p(t("above")), { type: "rule" }, p(t("below"))));
  });

  it("tables with header and body rows, links with pipes, and empty cells", () => {
    assertStableWiki(
      "||Name||Value||\n|a|[link|http://x.y]|\n|b| |",
      doc(table([th(p(t("Name"))), th(p(t("Value")))], [td(p(t("a"))), td(p(t("link", link("http://x.y"))))], [td(p(t("b"))), td(p())])),
    );
  });

  it("panels: {info}, {note}, {warning}, {tip} and {panel} by colour", () => {
    assertStableWiki("{info}\nHeads up\n{info}", doc({ type: "panel", attrs: { panelType: "info" }, content: [p(t("Heads up"))] }));
    assertStableWiki("{note}\nN\n{note}", doc({ type: "panel", attrs: { panelType: "note" }, content: [p(t("N"))] }));
    assertStableWiki("{warning}\nW\n{warning}", doc({ type: "panel", attrs: { panelType: "warning" }, content: [p(t("W"))] }));
    assertStableWiki("{tip}\nT\n{tip}", doc({ type: "panel", attrs: { panelType: "success" }, content: [p(t("T"))] }));
    assertStableWiki("{panel:bgColor=#ffebe6}\nBroken\n{panel}", doc({ type: "panel", attrs: { panelType: "error" }, content: [p(t("Broken"))] }));
    assertStableWiki("{panel:bgColor=#abcdef}\nC\n{panel}", doc({ type: "panel", attrs: { panelType: "custom", panelColor: "#abcdef" }, content: [p(t("C"))] }));
    // A {panel} without a colour has no ADF type of its own: it becomes an info panel (and its title is dropped).
    assert.equal(adfToWiki(wikiToAdf("{panel:title=Hello}\nBody\n{panel}")), "{info}\nBody\n{info}");
  });

  it("a mixed description", () => {
    const wiki = [
      "h2. Steps",
      "# Open the *board*",
      "# Click [Configure|https://jira.example.test/board]",
      "{code:bash}\nnpm test\n{code}",
      "||Env||Result||\n|CI|-fails-|",
      "{warning}\nDo not _deploy_.\n{warning}",
    ].join("\n\n");
    assertStableWiki(wiki);
  });
});

describe("ADF → wiki → ADF", () => {
  const cases: [string, AdfDoc, string][] = [
    ["text that looks like markup is escaped", doc(p(t("2 * 3 and *not bold* and {curly} [brackets]"))), "2 * 3 and \\*not bold\\* and \\{curly\\} \\[brackets\\]"],
    ["intra-word marks use braced markers", doc(p(t("foo"), t("bar", strong), t("baz"))), "foo{*}bar{*}baz"],
    ["marks around spaces use braced markers", doc(p(t(" spaced ", strong))), "{*} spaced {*}"],
    ["a mark shared across a link wraps it", doc(p(t("Issue from a ", em), t("message", link("https://m.example/x"), em), t("."))), "_Issue from a [message|https://m.example/x]_."],
    [
      "lines that look like blocks stay paragraphs",
      doc(p(t("* not a list")), p(t("h2. not a heading")), p(t("----")), p(t("|not|table|"))),
      "\\* not a list\n\nh2\\. not a heading\n\n\\----\n\n\\|not|table|",
    ],
    [
      "pipes in table cells are escaped; hard breaks in cells continue the row",
      doc(table([th(p(t("A|B"))), th(p(t("C")))], [td(p()), td(p(t("x"), br, t("y")))])),
      "||A\\|B||C||\n| |x\ny|",
    ],
    ["sub- and superscript", doc(p(t("H"), t("2", { type: "subsup", attrs: { type: "sub" } }), t("O x"), t("2", { type: "subsup", attrs: { type: "sup" } }))), "H{~}2{~}O x{^}2{^}"],
    ["text colour", doc(p(t("red", { type: "textColor", attrs: { color: "#ff5630" } }))), "{color:#ff5630}red{color}"],
    ["backslashes before special characters", doc(p(t("C:\\temp\\*x"))), "C:\\temp\\\\\\*x"],
    ["heading with code", doc({ type: "heading", attrs: { level: 3 }, content: [t("Head "), t("code", { type: "code" })] }), "h3. Head {{code}}"],
    [
      "quote holding a list",
      doc({ type: "blockquote", content: [p(t("a")), { type: "bulletList", content: [item(p(t("b")))] }] }),
      "{quote}\na\n\n* b\n{quote}",
    ],
    ["code block without language", doc({ type: "codeBlock", content: [t("raw *text*")] }), "{noformat}\nraw *text*\n{noformat}"],
    ["mention", doc(p(t("hi "), { type: "mention", attrs: { id: "557058:abc", text: "@557058:abc" } })), "hi [~accountid:557058:abc]"],
  ];
  for (const [name, adf, wiki] of cases) {
    it(name, () => {
      assert.equal(validateAdf(adf).ok, true);
      assert.equal(adfToWiki(adf), wiki);
      assert.deepEqual(wikiToAdf(wiki), adf);
    });
  }

  it("a Cloud-style document round trips", () => {
    const adf = doc(
      { type: "heading", attrs: { level: 2 }, content: [t("Context")] },
      p(t("As "), { type: "mention", attrs: { id: "712020:aa-bb", text: "@712020:aa-bb" } }, t(" said, see "), t("PR 42", link("https://git.example/pr/42")), t(".")),
      { type: "bulletList", content: [item(p(t("first"))), item(p(t("second")), { type: "orderedList", content: [item(p(t("nested")))] })] },
      { type: "codeBlock", attrs: { language: "json" }, content: [t('{"a": [1, 2]}')] },
      { type: "rule" },
      { type: "panel", attrs: { panelType: "note" }, content: [p(t("Done "), t("soon", { type: "underline" }))] },
    );
    assert.deepEqual(wikiToAdf(adfToWiki(adf)), adf);
  });

  it("known losses: a mention's display text, plain-text URLs becoming links", () => {
    const named = doc(p({ type: "mention", attrs: { id: "abc", text: "@Alice" } }));
    assert.deepEqual(wikiToAdf(adfToWiki(named)), doc(p({ type: "mention", attrs: { id: "abc", text: "@abc" } })));
    assert.deepEqual(wikiToAdf(adfToWiki(doc(p(t("see https://x.y"))))), doc(p(t("see "), t("https://x.y", link("https://x.y")))));
  });
});

describe("real Jira content (test/fixtures, copied from ../shared/fixtures)", () => {
  const dir = new URL("../fixtures/jira-webhooks/", import.meta.url);
  const texts = new Set<string>();
  for (const name of readdirSync(dir).filter((file) => file.endsWith(".json"))) {
    const body = JSON.parse(readFileSync(new URL(name, dir), "utf8"));
    const fields = body.issue?.fields ?? {};
    for (const value of [fields.description, body.comment?.body, ...(fields.comment?.comments ?? []).map((comment: { body: unknown }) => comment.body)]) {
      if (typeof value === "string" && value !== "") texts.add(value);
    }
  }

  it("finds descriptions and comment bodies", () => {
    assert.ok(texts.size >= 20, `only ${texts.size} texts`);
  });

  it("every one converts to valid ADF and back to the same wiki text (DC mentions as usernames)", () => {
    for (const wiki of texts) {
      const adf = wikiToAdf(wiki);
      assert.equal(validateAdf(adf).ok, true, wiki);
      assert.equal(adfToWiki(adf, { mentions: "username" }), wiki.replace(/\r\n/g, "\n"), wiki);
      assert.deepEqual(wikiToAdf(adfToWiki(adf)), adf, wiki);
    }
  });

  it("a Server description with emphasis around a link", () => {
    const wiki = "test\n\n_Issue created from a [message in Mattermost|https://chrisp.ngrok.io/testteam/pl/u7z1wmwinbgpucxj6njx74kiwo]_.";
    assert.ok(texts.has(wiki));
    assert.deepEqual(
      wikiToAdf(wiki),
      doc(p(t("test")), p(t("Issue created from a ", em), t("message in Mattermost", link("https://chrisp.ngrok.io/testteam/pl/u7z1wmwinbgpucxj6njx74kiwo"), em), t("."))),
    );
    assert.equal(richTextToPlain({ kind: "wiki", text: wiki }), "test\nIssue created from a message in Mattermost.");
  });

  it("a Server description with bold phrases", () => {
    const wiki = "*Creating Quick Filters*\n\nYou can add your own Quick Filters in the board configuration (select *Board > Configure*)";
    assert.ok(texts.has(wiki));
    assert.deepEqual(wikiToAdf(wiki), doc(p(t("Creating Quick Filters", strong)), p(t("You can add your own Quick Filters in the board configuration (select "), t("Board > Configure", strong), t(")"))));
  });

  it("a comment with a DC mention and CRLF line endings", () => {
    const wiki = "[~Test] creating a test comment\r\n\r\na second line for the test comment";
    assert.ok(texts.has(wiki));
    assert.deepEqual(wikiToAdf(wiki), doc(p({ type: "mention", attrs: { id: "Test", text: "@Test" } }, t(" creating a test comment")), p(t("a second line for the test comment"))));
  });

  it("plus signs inside words are not underline", () => {
    assert.deepEqual(wikiToAdf("descxyvccfgf f+xbsdz 511f+"), doc(p(t("descxyvccfgf f+xbsdz 511f+"))));
  });
});

describe("validateAdf", () => {
  const invalid: [string, unknown][] = [
    ["a string", "just text"],
    ["null", null],
    ["an array", [{ type: "doc" }]],
    ["wrong type", { type: "paragraph", version: 1, content: [] }],
    ["missing version", { type: "doc", content: [] }],
    ["version 2", { type: "doc", version: 2, content: [] }],
    ["content not an array", { type: "doc", version: 1, content: "text" }],
    ["unknown node type", { type: "doc", version: 1, content: [{ type: "marquee", content: [] }] }],
    ["text without string text", { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: 42 }] }] }],
    ["text with empty text", { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "" }] }] }],
    ["nested doc", { type: "doc", version: 1, content: [{ type: "doc", version: 1, content: [] }] }],
    ["unknown mark", { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "blink" }] }] }] }],
    ["a node that is not an object", { type: "doc", version: 1, content: ["text"] }],
  ];
  for (const [name, value] of invalid) {
    it(`rejects ${name} with Jira's message`, () => {
      assert.deepEqual(validateAdf(value), { ok: false, message: "Operation value must be an Atlassian Document (see the Atlassian Document Format)" });
    });
  }
  assert.equal(INVALID_ADF, "Operation value must be an Atlassian Document (see the Atlassian Document Format)");

  it("accepts an empty document and a rich one, returning it", () => {
    const empty = { type: "doc", version: 1, content: [] };
    assert.deepEqual(validateAdf(empty), { ok: true, doc: empty });
    const rich = wikiToAdf("h1. T\n\n* a\n\n||h||\n|c|\n\n{info}\nx\n{info}");
    assert.deepEqual(validateAdf(rich), { ok: true, doc: rich });
  });
});

describe("plain text", () => {
  it("adfToPlainText joins blocks with newlines and keeps mention text", () => {
    const adf = doc(
      { type: "heading", attrs: { level: 1 }, content: [t("Title")] },
      p(t("Hello "), { type: "mention", attrs: { id: "x", text: "@Alice" } }, t("!", strong)),
      { type: "bulletList", content: [item(p(t("one"))), item(p(t("two")))] },
      table([th(p(t("A"))), th(p(t("B")))], [td(p(t("1"))), td(p(t("2")))]),
    );
    assert.equal(adfToPlainText(adf), "Title\nHello @Alice!\none\ntwo\nA B\n1 2");
  });

  it("richTextToPlain strips wiki markup the same way", () => {
    assert.equal(richTextToPlain({ kind: "wiki", text: "Some *bold* and {{code}} with [a link|https://x.y]" }), "Some bold and code with a link");
    assert.equal(richTextToPlain({ kind: "adf", doc: doc(p(t("Some "), t("bold", strong))) }), "Some bold");
  });

  it("plainToAdf makes a paragraph per blank-line-separated block", () => {
    assert.deepEqual(plainToAdf(""), doc());
    assert.deepEqual(plainToAdf("a\nb\n\nc"), doc(p(t("a"), br, t("b")), p(t("c"))));
    assert.equal(adfToPlainText(plainToAdf("a\nb\n\nc")), "a\nb\nc");
  });
});

describe("toAdf / toWiki", () => {
  it("convert only when the kind differs", () => {
    const adf = doc(p(t("x", strong)));
    assert.equal(toAdf({ kind: "adf", doc: adf }), adf);
    assert.deepEqual(toAdf({ kind: "wiki", text: "*x*" }), adf);
    assert.equal(toWiki({ kind: "wiki", text: "*x*" }), "*x*");
    assert.equal(toWiki({ kind: "adf", doc: adf }), "*x*");
  });

  it("empty wiki is an empty document", () => {
    assert.deepEqual(wikiToAdf(""), doc());
    assert.deepEqual(wikiToAdf("  \n "), doc());
    assert.equal(adfToWiki(doc()), "");
  });
});
