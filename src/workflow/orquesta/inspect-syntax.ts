/**
 * Syntax inspection: the definition against Orquesta's v1.0 JSON schema, reported with Python
 * jsonschema's messages and Orquesta's `spec_path` / `schema_path` (schema path ending with the
 * keyword that failed, e.g. `properties.tasks.patternProperties.^\w+$.properties.next.items.properties.when.type`).
 *
 * The workflow, task, transition, items and retry levels are walked here (they are Orquesta's
 * nested spec classes); leaf values are checked with the domain's Draft-4 validator.
 */
import { iterErrors } from '../../domain/jsonschema/index.ts';
import type { Json, JsonObject } from '../../domain/types.ts';
import { pyRepr } from '../../domain/pyrepr.ts';

export interface SyntaxIssue {
  readonly message: string;
  readonly spec_path: string | null;
  readonly schema_path: string | null;
}

const NONEMPTY_STRING: Json = { type: 'string', minLength: 1 };
const POSITIVE_INTEGER: Json = { type: 'integer', minimum: 0 };
const STRING_OR_POSITIVE_INTEGER: Json = { oneOf: [NONEMPTY_STRING, POSITIVE_INTEGER] };
const UNIQUE_STRING_LIST: Json = { type: 'array', items: NONEMPTY_STRING, uniqueItems: true, minItems: 1 };
const ANY_NULLABLE: Json = {
  anyOf: [
    { type: 'null' },
    { type: 'array' },
    { type: 'boolean' },
    { type: 'integer' },
    { type: 'number' },
    { type: 'object' },
    { type: 'string' },
  ],
};
const NONEMPTY_DICT: Json = {
  type: 'object',
  minProperties: 1,
  patternProperties: { '^\\w+$': ANY_NULLABLE },
};
const ONE_KEY_DICT: Json = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  patternProperties: { '^\\w+$': ANY_NULLABLE },
};
const UNIQUE_ONE_KEY_DICT_LIST: Json = { type: 'array', items: ONE_KEY_DICT, uniqueItems: true, minItems: 1 };
const UNIQUE_STRING_OR_ONE_KEY_DICT_LIST: Json = {
  type: 'array',
  items: { oneOf: [NONEMPTY_STRING, ONE_KEY_DICT] },
  uniqueItems: true,
  minItems: 1,
};
const VERSION: Json = { enum: ['1.0', 1.0] };

const WORKFLOW_PROPS: JsonObject = {
  version: VERSION,
  description: NONEMPTY_STRING,
  name: NONEMPTY_STRING,
  tags: UNIQUE_STRING_LIST,
  vars: UNIQUE_ONE_KEY_DICT_LIST,
  input: UNIQUE_STRING_OR_ONE_KEY_DICT_LIST,
  output: UNIQUE_ONE_KEY_DICT_LIST,
};
const TASK_PROPS: JsonObject = {
  delay: STRING_OR_POSITIVE_INTEGER,
  join: { oneOf: [{ enum: ['all'] }, POSITIVE_INTEGER] },
  action: NONEMPTY_STRING,
  input: { oneOf: [NONEMPTY_STRING, NONEMPTY_DICT] },
};
const TRANSITION_PROPS: JsonObject = {
  when: NONEMPTY_STRING,
  publish: { oneOf: [NONEMPTY_STRING, UNIQUE_ONE_KEY_DICT_LIST] },
  do: { oneOf: [NONEMPTY_STRING, UNIQUE_STRING_LIST] },
};
// Orquesta's items regex: `<expr>` or `x, y in <expr>`, with YAQL or Jinja expressions.
const ITEMS_PATTERN =
  '^(\\s+)?(<%.*?%>|{{.*?}}|{%.*?%})(\\s+)?$|^(\\s+)?((\\w+,\\s?|\\s+)+)?(\\w+)\\s+in\\s+(<%.*?%>|{{.*?}}|{%.*?%})(\\s+)?$';
const ITEMS_PROPS: JsonObject = {
  items: { type: 'string', minLength: 1, pattern: ITEMS_PATTERN },
  concurrency: STRING_OR_POSITIVE_INTEGER,
};
const RETRY_PROPS: JsonObject = {
  when: NONEMPTY_STRING,
  count: STRING_OR_POSITIVE_INTEGER,
  delay: STRING_OR_POSITIVE_INTEGER,
};

const TASKS_SCHEMA_PATH = 'properties.tasks';
const TASK_SCHEMA_PATH = `${TASKS_SCHEMA_PATH}.patternProperties.^\\w+$`;

export function inspectSyntax(definition: unknown): SyntaxIssue[] {
  const issues: SyntaxIssue[] = [];
  const root = definition as Json;
  if (!isObject(root)) {
    issues.push({ message: `${pyRepr(root)} is not of type 'object'`, spec_path: null, schema_path: 'type' });
    return issues;
  }
  checkObject(root, WORKFLOW_PROPS, ['tasks'], '', '', issues, ['tasks']);
  const tasks = root['tasks'];
  if (tasks !== undefined) checkTasks(tasks, issues);
  return issues;
}

function checkTasks(tasks: Json, issues: SyntaxIssue[]): void {
  if (!isObject(tasks)) {
    issues.push({
      message: `${pyRepr(tasks)} is not of type 'object'`,
      spec_path: 'tasks',
      schema_path: `${TASKS_SCHEMA_PATH}.type`,
    });
    return;
  }
  if (Object.keys(tasks).length < 1) {
    issues.push({
      message: '{} does not have enough properties',
      spec_path: 'tasks',
      schema_path: `${TASKS_SCHEMA_PATH}.minProperties`,
    });
  }
  for (const [name, task] of Object.entries(tasks)) {
    // Orquesta's pattern `^\w+$` is searched with re.search, so a name must be all word characters.
    if (!/^\w+$/.test(name)) continue;
    const specPath = `tasks.${name}`;
    if (!isObject(task)) {
      issues.push({
        message: `${pyRepr(task)} is not of type 'object'`,
        spec_path: specPath,
        schema_path: `${TASK_SCHEMA_PATH}.type`,
      });
      continue;
    }
    checkObject(task, TASK_PROPS, [], specPath, TASK_SCHEMA_PATH, issues, ['with', 'retry', 'next']);
    const withSpec = task['with'];
    if (withSpec !== undefined && typeof withSpec !== 'string') {
      checkNested(
        withSpec,
        ITEMS_PROPS,
        [],
        `${specPath}.with`,
        `${TASK_SCHEMA_PATH}.properties.with`,
        issues,
      );
    } else if (typeof withSpec === 'string') {
      checkNested(
        { items: withSpec },
        ITEMS_PROPS,
        [],
        `${specPath}.with`,
        `${TASK_SCHEMA_PATH}.properties.with`,
        issues,
      );
    }
    if (task['retry'] !== undefined) {
      checkNested(
        task['retry'],
        RETRY_PROPS,
        ['count'],
        `${specPath}.retry`,
        `${TASK_SCHEMA_PATH}.properties.retry`,
        issues,
      );
    }
    const next = task['next'];
    if (next !== undefined) {
      const nextSchemaPath = `${TASK_SCHEMA_PATH}.properties.next`;
      if (!Array.isArray(next)) {
        issues.push({
          message: `${pyRepr(next)} is not of type 'array'`,
          spec_path: `${specPath}.next`,
          schema_path: `${nextSchemaPath}.type`,
        });
        continue;
      }
      next.forEach((t, i) =>
        checkNested(t, TRANSITION_PROPS, [], `${specPath}.next[${i}]`, `${nextSchemaPath}.items`, issues),
      );
    }
  }
}

function checkNested(
  value: Json,
  props: JsonObject,
  required: string[],
  specPath: string,
  schemaPath: string,
  issues: SyntaxIssue[],
): void {
  if (!isObject(value)) {
    issues.push({
      message: `${pyRepr(value)} is not of type 'object'`,
      spec_path: specPath,
      schema_path: `${schemaPath}.type`,
    });
    return;
  }
  checkObject(value, props, required, specPath, schemaPath, issues, []);
}

/** `properties` (leaf values), `required` and `additionalProperties: false` of one spec level. */
function checkObject(
  value: JsonObject,
  props: JsonObject,
  required: string[],
  specPath: string,
  schemaPath: string,
  issues: SyntaxIssue[],
  nested: string[],
): void {
  const join = (base: string, part: string): string => (base ? `${base}.${part}` : part);
  for (const name of required) {
    if (!Object.hasOwn(value, name)) {
      issues.push({
        message: `'${name}' is a required property`,
        spec_path: specPath || null,
        schema_path: join(schemaPath, 'required'),
      });
    }
  }
  const unexpected = Object.keys(value).filter((k) => !Object.hasOwn(props, k) && !nested.includes(k));
  if (unexpected.length > 0) {
    const list = unexpected.map((k) => pyRepr(k)).join(', ');
    issues.push({
      message: `Additional properties are not allowed (${list} ${unexpected.length === 1 ? 'was' : 'were'} unexpected)`,
      spec_path: specPath || null,
      schema_path: join(schemaPath, 'additionalProperties'),
    });
  }
  for (const [name, schema] of Object.entries(props)) {
    if (!Object.hasOwn(value, name)) continue;
    const propSpecPath = join(specPath, name);
    const propSchemaPath = join(schemaPath, `properties.${name}`);
    for (const err of iterErrors(schema, value[name] as Json)) {
      issues.push({
        message: err.message,
        spec_path: propSpecPath + err.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join(''),
        schema_path: `${propSchemaPath}${err.path.map((p) => (typeof p === 'number' ? '.items' : '.patternProperties.^\\w+$')).join('')}.${err.keyword}`,
      });
    }
  }
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
