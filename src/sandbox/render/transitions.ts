// Workflow transitions available to the viewer from an issue's current status, as GET /transitions answers.
import type { Issue, Transition } from "../model/types.ts";
import { fieldById } from "../fields/registry.ts";
import type { RenderContext } from "./context.ts";
import { renderStatus } from "./objects.ts";

export function availableTransitions(ctx: RenderContext, issue: Issue): Transition[] {
  const project = ctx.state.projectOf(issue);
  if (!ctx.state.hasPermission(ctx.viewerId, project, "TRANSITION_ISSUES")) return [];
  const workflow = ctx.state.workflowOf(project);
  return workflow.transitions.filter((transition) => transition.from.length === 0 || transition.from.includes(issue.statusId));
}

export function renderTransition(ctx: RenderContext, issue: Issue, transition: Transition, withFields: boolean) {
  const out: Record<string, unknown> = {
    id: transition.id,
    name: transition.name,
    to: renderStatus(ctx, ctx.state.statuses.get(transition.to)!),
    hasScreen: transition.screenFields.length > 0,
    isGlobal: transition.from.length === 0,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  };
  if (withFields) {
    out.fields = Object.fromEntries(
      transition.screenFields.flatMap(({ fieldId, required }) => {
        const field = fieldById(ctx.state, fieldId);
        if (!field) return [];
        return [[
          fieldId,
          {
            required,
            ...(field.schema ? { schema: field.schema } : {}),
            name: field.name,
            key: field.key,
            hasDefaultValue: false,
            operations: field.operations,
            ...(field.allowedValues ? { allowedValues: field.allowedValues(ctx, issue.projectId) } : {}),
          },
        ]];
      }),
    );
  }
  return out;
}

export function renderTransitions(ctx: RenderContext, issue: Issue, withFields: boolean) {
  return availableTransitions(ctx, issue).map((transition) => renderTransition(ctx, issue, transition, withFields));
}
