// Run messages as a person reads them: what happened and what to do. The engine's messages are precise but
// technical ("title: Jira refused the value — Field 'summary' cannot be set…"); the known shapes are retold here,
// and anything else is shown as it is.

export interface PlainMessage {
  /** What happened, in plain words. */
  text: string;
  /** What to do about it, when we know. */
  fix: string | null;
  /** The original message, kept for whoever needs the detail. */
  detail: string;
}

const RULES: { pattern: RegExp; say: (match: RegExpMatchArray, context: { identity: string; jiraKey: string }) => { text: string; fix: string | null } }[] = [
  {
    // Jira answers a field the identity may not edit as "cannot be set … not on the appropriate screen".
    pattern: /^(\w+): Jira refused the value — Field '([^']+)' cannot be set/,
    say: (match, context) => ({
      text: `Jira did not let ${context.identity} change ${match[1]} on ${context.jiraKey}: the account may not edit this issue, or the field is not on its edit screen.`,
      fix: `Give that Jira account the Edit Issues permission in the issue's project (or add the field '${match[2]}' to the edit screen), then run Push again.`,
    }),
  },
  {
    pattern: /^(\w+): Jira refused the value — (.+)$/,
    say: (match, context) => ({ text: `Jira refused the new ${match[1]} of ${context.jiraKey}: ${match[2]}`, fix: `Correct ${match[1]} in Tandem so Jira accepts it, then run Push again.` }),
  },
  {
    pattern: /do not have permission to see it|does not exist or you do not have permission/i,
    say: (_match, context) => ({ text: `${context.identity} cannot see ${context.jiraKey} any more (it was deleted, moved, or the account lost access).`, fix: "Check the account's Browse Projects permission in Jira; if the issue was deleted, unlink or delete the item." }),
  },
  {
    pattern: /^(\w+): changed on both sides \(Tandem (.*), Jira (.*)\); held/,
    say: (match) => ({ text: `${match[1]} was changed in both Tandem (${match[2]}) and Jira (${match[3]}) since the last sync, so Tandem kept both and changed neither.`, fix: "Choose the value to keep under Conflicts to resolve on this page." }),
  },
  {
    pattern: /^Field '([^']+)' is not on (\S+) .*'(\w+)' was skipped\.$/,
    say: (match) => ({ text: `${match[2]} has no field '${match[1]}', so ${match[3]} was not synced for it.`, fix: `Add '${match[1]}' to the issue type's screens in Jira, or change the mapping of ${match[3]}.` }),
  },
  {
    pattern: /changed in Tandem while syncing/,
    say: () => ({ text: "Someone edited the item in Tandem while it was syncing; what Jira needed was written.", fix: "Nothing to do: the next run settles the rest." }),
  },
  {
    pattern: /^dry run: nothing was written$/,
    say: () => ({ text: "Dry run: nothing was written.", fix: null }),
  },
];

export function plainMessage(message: string, context: { identity: string; jiraKey: string | null }): PlainMessage {
  for (const rule of RULES) {
    const match = message.match(rule.pattern);
    if (match) return { ...rule.say(match, { identity: context.identity, jiraKey: context.jiraKey ?? "the issue" }), detail: message };
  }
  return { text: message, fix: null, detail: message };
}
