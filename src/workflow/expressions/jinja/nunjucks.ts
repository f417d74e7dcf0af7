/**
 * nunjucks as Orquesta's Jinja: templates are checked for characters jinja2 refuses and their
 * Python string literals made readable to nunjucks before parsing; the rest is the shared typed
 * access to nunjucks' internals (src/domain/nunjucks-internals.ts).
 */
import type nunjucks from 'nunjucks';
import {
  compileNunjucks,
  parseNunjucks,
  type CompiledTemplate,
  type NjNode,
} from '../../../domain/nunjucks-internals.ts';
import { pythonStringsForNunjucks } from '../escapes.ts';
import { rejectNonJinjaChars } from './jinja-chars.ts';

export {
  createEnvironment,
  getField,
  isNode,
  makeNode,
  reasonOf,
  setField,
  type CompiledTemplate,
  type NjNode,
} from '../../../domain/nunjucks-internals.ts';

export function parseTemplate(source: string): NjNode {
  rejectNonJinjaChars(source);
  return parseNunjucks(pythonStringsForNunjucks(source));
}

export function compileAst(ast: NjNode, env: nunjucks.Environment): CompiledTemplate {
  return compileNunjucks(ast, env, 'expression');
}
