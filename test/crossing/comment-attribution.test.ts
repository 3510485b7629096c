// Comments written from Tandem keep their author. Through the connector's service account Jira would name that
// account, so the comment opens with "NAME (via Tandem):" in bold and Tandem lists the person as its author, with
// the Jira account still given; through the person's own Jira identity (or a service account that is theirs) it is
// written as is. Anyone typing the same words in Jira stays the author of their comment. Cloud (ADF) and Data
// Center (wiki markup).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ADMIN, basic, call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const sandboxes = { cloud: useSandbox({ flavour: "cloud" }), dc: useSandbox({ flavour: "dc" }) };

interface Listed {
  id: string;
  author: string | null;
  authorEmail: string | null;
  viaTandem: boolean;
  jiraAuthor: { displayName: string | null; accountId: string | null; username: string | null } | null;
  body: string | null;
}

for (const flavour of ["cloud", "dc"] as const) {
  describe(`comments keep their Tandem author (${flavour})`, () => {
    const jira = sandboxes[flavour];
    const suffix = flavour === "cloud" ? "C" : "D";
    const rest = flavour === "cloud" ? "/rest/api/3" : "/rest/api/2";
    // Jira's own API, as its admin: what the issue really holds.
    const adminAuth = () => (flavour === "cloud" ? basic(ADMIN.email, ADMIN.token) : basic(ADMIN.name, ADMIN.password));
    const jiraComments = async (key: string) => (await call(jira(), "GET", `${rest}/issue/${key}/comment`, { auth: adminAuth() })).body.comments as { author: { accountId?: string; name?: string; displayName: string }; body: unknown }[];
    const credentials = (user: string) => (flavour === "cloud" ? { authMode: "api-token", email: `${user}@sandbox.test`, apiToken: `${user}-token` } : { authMode: "pat", token: `${user}-pat` });
    const listed = async (item: string, token = t().tokens.member) => {
      const response = await api(t(), "GET", `/items/${item}/comments`, { token });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body as Listed[];
    };
    const sync = () => [...jira().state.users.values()].find((user) => user.name === "tandem-sync")!;
    const noName = { email: `no-name-${flavour}@tandem.test`, token: "" };
    let item = "";

    it("writes through the service account with the person named first, and lists the person as the author", async () => {
      const connector = await api(t(), "POST", "/connectors", { body: { name: `svc-${flavour}`, flavour, siteUrl: jira().url, credentials: credentials("tandem-sync") } });
      assert.equal(connector.status, 201, JSON.stringify(connector.body));
      await api(t(), "POST", "/projects", { body: { key: `CA${suffix}`, name: "Comments", fields: [] } });
      await api(t(), "PUT", `/projects/CA${suffix}/jira`, { body: { connector: `svc-${flavour}`, jiraProjects: ["SCHED"], direction: "two-way" } });
      item = (await api(t(), "POST", `/projects/CA${suffix}/items`, { body: { values: { title: "Discussed" } } })).body.key;
      assert.equal((await api(t(), "PUT", `/items/${item}/link`, { body: { jiraKey: "SCHED-4" } })).status, 200);

      const added = await api(t(), "POST", `/items/${item}/comments`, { token: t().tokens.member, body: { body: "Ship it on _Friday_" } });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal(added.body.attributedTo, "Member");
      assert.match(added.body.writtenAs, /service account/);

      const held = (await jiraComments("SCHED-4")).at(-1)!;
      assert.equal(flavour === "cloud" ? held.author.accountId : held.author.name, flavour === "cloud" ? sync().accountId : "tandem-sync", "Jira names the account it was written as");
      if (flavour === "cloud") {
        const doc = held.body as { content: { type: string; content: { text: string; marks?: { type: string }[] }[] }[] };
        assert.deepEqual(doc.content[0], { type: "paragraph", content: [{ type: "text", text: "Member (via Tandem):", marks: [{ type: "strong" }] }] });
        assert.deepEqual(doc.content[1]!.content.map((node) => [node.text, node.marks?.map((mark) => mark.type) ?? []]), [["Ship it on ", []], ["Friday", ["em"]]]);
      } else {
        assert.equal(held.body, "*Member (via Tandem):*\n\nShip it on _Friday_");
      }

      const last = (await listed(item)).at(-1)!;
      assert.equal(last.author, "Member");
      assert.equal(last.authorEmail, "member@tandem.test");
      assert.equal(last.viaTandem, true);
      assert.equal(last.jiraAuthor!.displayName, "Tandem Sync", "the account it was written as is still given");
      assert.equal(last.body, "Ship it on _Friday_", "the attribution is not part of the text");
    });

    it("names a person without a display name by their email", async () => {
      const user = await t().tandem.store.users.create({ email: noName.email, name: " ", role: "member", password: "no-name-password-1" });
      noName.token = (await t().tandem.store.tokens.issue(user.id, "api", "test")).token;
      const added = await api(t(), "POST", `/items/${item}/comments`, { token: noName.token, body: { body: "Agreed" } });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const held = (await jiraComments("SCHED-4")).at(-1)!;
      if (flavour === "cloud") assert.equal((held.body as { content: { content: { text: string }[] }[] }).content[0]!.content[0]!.text, `${noName.email} (via Tandem):`);
      else assert.equal(held.body, `*${noName.email} (via Tandem):*\n\nAgreed`);
      const last = (await listed(item)).at(-1)!;
      assert.deepEqual([last.author, last.authorEmail, last.viaTandem, last.body], [noName.email, noName.email, true, "Agreed"]);
    });

    it("keeps the Jira author of a comment that only looks attributed", async () => {
      const body = flavour === "cloud"
        ? { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "Member (via Tandem):", marks: [{ type: "strong" }] }] }, { type: "paragraph", content: [{ type: "text", text: "Not really" }] }] }
        : "*Member (via Tandem):*\n\nNot really";
      const written = await call(jira(), "POST", `${rest}/issue/SCHED-4/comment`, { auth: flavour === "cloud" ? basic("bob@sandbox.test", "bob-token") : basic("bob", "bob-password"), body: { body } });
      assert.equal(written.status, 201, JSON.stringify(written.body));
      const last = (await listed(item)).at(-1)!;
      assert.equal(last.author, "Bob Chen");
      assert.equal(last.viaTandem, false);
      assert.equal(last.body, "**Member (via Tandem):**\n\nNot really", "shown as written");
      // Earlier comments Tandem wrote are still the people's, and guests read the same list.
      const all = await listed(item, t().tokens.guest);
      assert.deepEqual(all.filter((entry) => entry.viaTandem).map((entry) => entry.author), ["Member", noName.email]);
    });

    it("adds no attribution when the person syncs with their own Jira identity", async () => {
      await api(t(), "POST", "/projects", { body: { key: `CO${suffix}`, name: "Own identity", fields: [] } });
      await api(t(), "PUT", `/projects/CO${suffix}/jira`, { body: { connector: `svc-${flavour}`, jiraProjects: ["SCHED"], direction: "two-way", syncIdentity: "user" } });
      const connector = (await api(t(), "GET", "/connectors")).body.find((entry: { name: string }) => entry.name === `svc-${flavour}`);
      const identity = await api(t(), "PUT", `/connectors/${connector.id}/identity`, { token: t().tokens.member, body: credentials("alice") });
      assert.equal(identity.status, 200, JSON.stringify(identity.body));
      const own = (await api(t(), "POST", `/projects/CO${suffix}/items`, { body: { values: { title: "Mine" } } })).body.key;
      await api(t(), "PUT", `/items/${own}/link`, { token: t().tokens.member, body: { jiraKey: "SCHED-5" } });
      const added = await api(t(), "POST", `/items/${own}/comments`, { token: t().tokens.member, body: { body: "Written as **me**" } });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal(added.body.attributedTo, null);
      const held = (await jiraComments("SCHED-5")).at(-1)!;
      assert.equal(held.author.displayName, "Alice Martin");
      if (flavour === "cloud") assert.deepEqual((held.body as { content: unknown[] }).content.length, 1, "only the text");
      else assert.equal(held.body, "Written as *me*");
      const last = (await listed(own)).at(-1)!;
      assert.deepEqual([last.author, last.viaTandem, last.body], ["Alice Martin", false, "Written as **me**"]);
    });

    it("adds no attribution when the connector's account is the person's own", async () => {
      // Dave set the connector up with his own Jira account and comments as himself in Tandem.
      const dave = await t().tandem.store.users.create({ email: `dave@sandbox.test`, name: "Dave in Tandem", role: "member", password: "dave-password-123" }).catch(async () => (await t().tandem.store.users.byEmail("dave@sandbox.test"))!);
      const token = (await t().tandem.store.tokens.issue(dave.id, "api", "test")).token;
      await api(t(), "POST", "/connectors", { body: { name: `dave-${flavour}`, flavour, siteUrl: jira().url, credentials: credentials("dave") } });
      await api(t(), "POST", "/projects", { body: { key: `CV${suffix}`, name: "Dave's", fields: [] } });
      await api(t(), "PUT", `/projects/CV${suffix}/jira`, { body: { connector: `dave-${flavour}`, jiraProjects: ["SCHED"], direction: "two-way" } });
      const his = (await api(t(), "POST", `/projects/CV${suffix}/items`, { body: { values: { title: "His" } } })).body.key;
      await api(t(), "PUT", `/items/${his}/link`, { body: { jiraKey: "SCHED-6" } });
      const added = await api(t(), "POST", `/items/${his}/comments`, { token, body: { body: "From me" } });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal(added.body.attributedTo, null);
      const held = (await jiraComments("SCHED-6")).at(-1)!;
      assert.equal(held.author.displayName, "Dave Okafor");
      if (flavour === "dc") assert.equal(held.body, "From me");
      else assert.equal((held.body as { content: unknown[] }).content.length, 1);
      // Someone else commenting through Dave's connector is named.
      const other = await api(t(), "POST", `/items/${his}/comments`, { token: t().tokens.member, body: { body: "From the member" } });
      assert.equal(other.body.attributedTo, "Member");
      const [mine, theirs] = (await listed(his)).slice(-2);
      assert.deepEqual([mine!.author, mine!.viaTandem], ["Dave Okafor", false]);
      assert.deepEqual([theirs!.author, theirs!.viaTandem, theirs!.jiraAuthor!.displayName], ["Member", true, "Dave Okafor"]);
    });

    it("refuses a blank comment", async () => {
      const blank = await api(t(), "POST", `/items/${item}/comments`, { token: t().tokens.member, body: { body: "   " } });
      assert.equal(blank.status, 400);
      assert.match(JSON.stringify(blank.body), /A comment needs text/);
    });
  });
}
