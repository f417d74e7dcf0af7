/** Orquesta's `ctx()`: all workflow variables, or one of them by name (`ctx(name)`, `ctx('name')`). */
import { PyError } from '../errors.ts';
import type { ExpressionFunction } from '../types.ts';

export function ctxFunction(vars: Readonly<Record<string, unknown>>): ExpressionFunction {
  return (...args) => {
    const key = args[0];
    // Orquesta tests `if key:`: no argument, '' and None all mean "every variable".
    if (key === undefined || key === null || key === '' || key === false) {
      return Object.fromEntries(Object.entries(vars).filter(([name]) => !name.startsWith('__')));
    }
    const name = typeof key === 'string' ? key : String(key);
    if (!Object.hasOwn(vars, name)) {
      throw new PyError('VariableUndefinedError', `The variable "${name}" is undefined.`);
    }
    if (name.startsWith('__')) {
      throw new PyError(
        'VariableInaccessibleError',
        `The variable "${name}" is for internal use and inaccessible.`,
      );
    }
    return vars[name];
  };
}
