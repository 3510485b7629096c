// An error the sandbox answers the way Jira does: a status and Jira's ErrorCollection body.

export class JiraError extends Error {
  readonly status: number;
  readonly errorMessages: string[];
  readonly errors: Record<string, string>;

  constructor(status: number, errorMessages: string[], errors: Record<string, string> = {}) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
    this.status = status;
    this.errorMessages = errorMessages;
    this.errors = errors;
  }

  body(): { errorMessages: string[]; errors: Record<string, string> } {
    return { errorMessages: this.errorMessages, errors: this.errors };
  }
}

export const ISSUE_NOT_VISIBLE = "Issue does not exist or you do not have permission to see it.";

export function issueNotFound(): JiraError {
  return new JiraError(404, [ISSUE_NOT_VISIBLE]);
}
