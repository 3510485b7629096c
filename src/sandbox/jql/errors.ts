// A JQL error carries the messages Jira would answer with (400 errorMessages).
export class JqlError extends Error {
  readonly messages: string[];
  constructor(messages: string | string[]) {
    const list = Array.isArray(messages) ? messages : [messages];
    super(list.join(" "));
    this.messages = list;
  }
}

export function at(position: number): string {
  return `(line 1, character ${position + 1})`;
}
