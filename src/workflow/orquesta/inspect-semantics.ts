/**
 * Semantic inspection, as Orquesta's TaskMappingSpec does it: reserved task names, a workflow with
 * no start task, transitions to undefined tasks, with-items tasks without an action.
 */
import { inCycle, isSplitTask, nextTransitions, startTasks } from './graph.ts';
import { DIRECTIVES, isDirective, type WorkflowSpec } from './spec.ts';

export interface SemanticIssue {
  readonly message: string;
  readonly spec_path: string;
  readonly schema_path: string;
}

const TASK_SCHEMA_PATH = 'properties.tasks.patternProperties.^\\w+$';

export function inspectSemantics(spec: WorkflowSpec): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const names = Object.keys(spec.tasks);
  for (const name of names) {
    if ((DIRECTIVES as readonly string[]).includes(name)) {
      issues.push({
        message: `The task name "${name}" is reserved with special function.`,
        spec_path: `tasks.${name}`,
        schema_path: TASK_SCHEMA_PATH,
      });
    }
  }
  if (names.length > 0 && startTasks(spec).length === 0) {
    issues.push({
      message:
        'Unable to identify any tasks to start the workflow. If the workflow has a loop, please add a task ' +
        'that serves as an entry point (or lead) into the loop.',
      spec_path: 'tasks',
      schema_path: 'properties.tasks',
    });
  }
  issues.push(...undefinedTasks(spec));
  issues.push(...unreachableJoins(spec));
  for (const [name, task] of Object.entries(spec.tasks)) {
    if (task.with && !task.action) {
      issues.push({
        message: 'The action property is required for with items task.',
        spec_path: `tasks.${name}`,
        schema_path: TASK_SCHEMA_PATH,
      });
    }
  }
  return issues;
}

/** Transitions (from tasks reachable from the start) naming a task that does not exist. */
function undefinedTasks(spec: WorkflowSpec): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const queue = startTasks(spec);
  const seen = new Set(queue);
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const task = spec.tasks[name];
    if (!task) continue;
    task.next.forEach((t, i) => {
      for (const target of t.do) {
        if (seen.has(target) || isDirective(target)) continue;
        if (Object.hasOwn(spec.tasks, target)) {
          seen.add(target);
          queue.push(target);
        } else {
          issues.push({
            message: `The task "${target}" is not defined.`,
            spec_path: `tasks.${name}.next[${i}].do`,
            schema_path: `${TASK_SCHEMA_PATH}.properties.next.items.properties.do`,
          });
        }
      }
    });
  }
  return issues;
}

/**
 * Joins behind nested forks from tasks referenced more than once: each branch runs on its own
 * route, so the engine cannot tell at which level the join should happen. A join is reachable when
 * every inbound task carries the same set of splits as the join itself.
 */
function unreachableJoins(spec: WorkflowSpec): SemanticIssue[] {
  const staging = new Map<string, { splits: Set<string>; prev: Set<string> }>();
  const tracked = new Map<string, Set<string>>();
  const queue: { prev: string | undefined; name: string; splits: string[] }[] = startTasks(spec).map(
    (name) => ({
      prev: undefined,
      name,
      splits: [],
    }),
  );
  while (queue.length > 0) {
    const { prev, name, splits } = queue.shift() as (typeof queue)[number];
    if (!Object.hasOwn(spec.tasks, name)) continue;
    if (isSplitTask(spec, name) && !inCycle(spec, name)) splits.push(name);
    const meta = staging.get(name) ?? { splits: new Set<string>(), prev: new Set<string>() };
    staging.set(name, meta);
    for (const split of splits) meta.splits.add(split);
    if (prev) meta.prev.add(prev);
    for (const t of nextTransitions(spec, name)) {
      if (staging.has(t.to) && inCycle(spec, t.to)) continue;
      const id = `${name}_${t.to}`;
      const seen = tracked.get(id);
      if (seen && seen.size > 0) {
        if (splits.every((split) => seen.has(split))) continue;
        for (const split of splits) seen.add(split);
      } else {
        tracked.set(id, new Set(splits));
      }
      queue.push({ prev: name, name: t.to, splits: [...splits] });
    }
  }
  const issues: SemanticIssue[] = [];
  for (const [name, meta] of staging) {
    if (spec.tasks[name]?.join === undefined) continue;
    for (const prev of meta.prev) {
      const prevSplits = staging.get(prev)?.splits ?? new Set<string>();
      const same = prevSplits.size === meta.splits.size && [...prevSplits].every((x) => meta.splits.has(x));
      if (same) continue;
      issues.push({
        message:
          `The join task "${name}" is unreachable. A join task is determined to be unreachable if there are ` +
          'nested forks from multi-referenced tasks that join on the said task. This is ambiguous to the ' +
          'workflow engine because it does not know at which level should the join occurs.',
        spec_path: `tasks.${name}`,
        schema_path: TASK_SCHEMA_PATH,
      });
      break;
    }
  }
  return issues;
}
