/**
 * The context-free functions Orquesta (`json`, `zip`) and st2's orquesta runner register for both
 * expression languages (`contrib/runners/orquesta_runner/setup.py`). The context-bound ones —
 * `result`, `item`, `task`, `succeeded`, `st2kv` … — come from the workflow engine.
 */
import { parse as parseYaml, stringify as stringifyYaml, type ScalarTag, type Tags } from 'yaml';
import { PyError } from '../errors.ts';
import { pyStr } from '../pystr.ts';
import { setKey, splitKeywords, type ExpressionFunction } from '../types.ts';
import { jsonpathQuery } from './jsonpath.ts';
import { pyJsonDumps, pyJsonLoads } from './json.ts';
import {
  basename,
  dirname,
  regexMatch,
  regexReplace,
  regexSearch,
  regexSubstring,
  toHumanTimeFromSeconds,
} from './text.ts';
import { versionBump, versionCompare, versionMatch, versionStripPatch } from './version.ts';

/** st2's `use_none` marker: the value a `None` is serialised to so it survives as a parameter. */
export const NONE_MAGIC_VALUE = '%*****__%NONE%__*****%';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Binds positional and named arguments to parameter names, as a Python call would. */
function bind(name: string, args: readonly unknown[], params: readonly string[]): Record<string, unknown> {
  const { positional, named } = splitKeywords(args);
  if (positional.length > params.length) {
    throw new PyError(
      'TypeError',
      `${name}() takes ${params.length} positional arguments but ${positional.length} were given`,
    );
  }
  const out: Record<string, unknown> = {};
  positional.forEach((v, i) => setKey(out, params[i] ?? '', v));
  for (const [k, v] of Object.entries(named)) {
    if (!params.includes(k))
      throw new PyError('TypeError', `${name}() got an unexpected keyword argument '${k}'`);
    setKey(out, k, v);
  }
  return out;
}

const toJsonString: ExpressionFunction = (...args) => {
  const a = bind('to_json_string', args, ['value', 'indent', 'sort_keys', 'separators']);
  const separators = Array.isArray(a.separators) ? (a.separators as [string, string]) : [',', ': '];
  return pyJsonDumps(a.value, {
    indent: typeof a.indent === 'number' || typeof a.indent === 'string' ? a.indent : null,
    sortKeys: a.sort_keys === true,
    separators: a.separators === null ? undefined : (separators as [string, string]),
  });
};

const fromJsonString: ExpressionFunction = (value) => pyJsonLoads(pyStr(value));

const BOOL_TAG = 'tag:yaml.org,2002:bool';
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

/** YAML 1.1 as PyYAML resolves it: `y`/`n` are strings there, unlike in the `yaml` package. */
const pyyamlTags = (tags: Tags): Tags =>
  tags.map((tag) => {
    if (typeof tag === 'string' || tag.tag !== BOOL_TAG || !('test' in tag)) return tag;
    const scalar: ScalarTag = {
      ...(tag as ScalarTag),
      test: tag.identify?.(true) ? PYYAML_TRUE : PYYAML_FALSE,
    };
    return scalar;
  });

const fromYamlString: ExpressionFunction = (value) => {
  try {
    return parseYaml(pyStr(value), { version: '1.1', customTags: pyyamlTags }) as unknown;
  } catch (err) {
    throw new PyError('YAMLError', err instanceof Error ? err.message : String(err));
  }
};

/** PyYAML's `safe_dump(default_flow_style=False)`: block style, sorted keys, unindented lists. */
const toYamlString: ExpressionFunction = (...args) => {
  const a = bind('to_yaml_string', args, ['value', 'indent', 'allow_unicode']);
  return stringifyYaml(a.value ?? null, {
    indent: typeof a.indent === 'number' ? a.indent : 2,
    indentSeq: false,
    sortMapEntries: true,
    lineWidth: 80,
    // PyYAML writes YAML 1.1 (so `yes`/`on` get quoted) and prefers single quotes.
    version: '1.1',
    customTags: pyyamlTags,
    singleQuote: true,
  });
};

const zip: ExpressionFunction = (...args) => {
  const { positional, named } = splitKeywords(args);
  const lists = positional.map((arg) => (arg === null || arg === undefined ? [] : arg));
  if (lists.length === 1) return lists[0];
  const arrays = lists.map((l) =>
    Array.isArray(l) ? l : isPlainObject(l) ? Object.keys(l) : typeof l === 'string' ? [...l] : undefined,
  );
  if (arrays.some((l) => l === undefined))
    throw new PyError('TypeError', 'zip_longest argument is not iterable');
  const length = Math.max(0, ...arrays.map((l) => l?.length ?? 0));
  const pad = named.pad ?? null;
  return Array.from({ length }, (_, i) => arrays.map((l) => (l && i < l.length ? l[i] : pad)));
};

const json: ExpressionFunction = (value) => {
  if (isPlainObject(value)) return value;
  if (typeof value !== 'string') throw new PyError('TypeError', 'Given object is not typeof string.');
  return pyJsonLoads(value);
};

export const SHARED_FUNCTIONS: Readonly<Record<string, ExpressionFunction>> = {
  json,
  zip,
  basename: (path) => basename(path),
  dirname: (path) => dirname(path),
  from_json_string: fromJsonString,
  json_parse: fromJsonString,
  from_yaml_string: fromYamlString,
  yaml_parse: fromYamlString,
  to_json_string: toJsonString,
  json_dump: toJsonString,
  to_yaml_string: toYamlString,
  yaml_dump: toYamlString,
  json_escape: (value) => pyJsonDumps(value).replace(/^"+|"+$/g, ''),
  jsonpath_query: (value, query) => jsonpathQuery(value, query),
  regex_match: (...args) => {
    const a = bind('regex_match', args, ['value', 'pattern', 'ignorecase']);
    return regexMatch(a.value, a.pattern, a.ignorecase);
  },
  regex_search: (...args) => {
    const a = bind('regex_search', args, ['value', 'pattern', 'ignorecase']);
    return regexSearch(a.value, a.pattern, a.ignorecase);
  },
  regex_replace: (...args) => {
    const a = bind('regex_replace', args, ['value', 'pattern', 'replacement', 'ignorecase']);
    return regexReplace(a.value, a.pattern, a.replacement, a.ignorecase);
  },
  regex_substring: (...args) => {
    const a = bind('regex_substring', args, ['value', 'pattern', 'result_index', 'ignorecase']);
    return regexSubstring(a.value, a.pattern, a.result_index ?? 0, a.ignorecase);
  },
  to_human_time_from_seconds: (seconds) => toHumanTimeFromSeconds(seconds),
  use_none: (value) => (value === null || value === undefined ? NONE_MAGIC_VALUE : value),
  version_compare: (a, b) => versionCompare(a, b),
  version_more_than: (a, b) => versionCompare(a, b) === 1,
  version_less_than: (a, b) => versionCompare(a, b) === -1,
  version_equal: (a, b) => versionCompare(a, b) === 0,
  version_match: (a, b) => versionMatch(a, b),
  version_bump_major: (v) => versionBump(v, 'major'),
  version_bump_minor: (v) => versionBump(v, 'minor'),
  version_bump_patch: (v) => versionBump(v, 'patch'),
  version_strip_patch: (v) => versionStripPatch(v),
};
