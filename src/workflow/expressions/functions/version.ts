/** st2's `version_*` functions: semantic versions as python-semver 3 parses and compares them. */
import { PyError } from '../errors.ts';

interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: string | undefined;
  readonly build: string | undefined;
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function parseVersion(value: unknown): Version {
  const text = String(value);
  const m = SEMVER.exec(text);
  if (!m) throw new PyError('ValueError', `${text} is not valid SemVer string`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4], build: m[5] };
}

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Math.sign(Number(x) - Number(y));
    if (nx) return -1;
    if (ny) return 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(pa.length - pb.length);
}

export function versionCompare(value: unknown, other: unknown): number {
  const a = parseVersion(value);
  const b = parseVersion(other);
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return Math.sign(a[key] - b[key]);
  }
  return comparePrerelease(a.prerelease, b.prerelease);
}

export function versionMatch(value: unknown, expression: unknown): boolean {
  const m = /^(<=|>=|==|!=|<|>)?(.*)$/.exec(String(expression));
  const op = m?.[1] ?? '==';
  const order = versionCompare(value, m?.[2] ?? '');
  switch (op) {
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '>=':
      return order >= 0;
    case '!=':
      return order !== 0;
    default:
      return order === 0;
  }
}

export function versionBump(value: unknown, part: 'major' | 'minor' | 'patch'): string {
  const v = parseVersion(value);
  if (part === 'major') return `${v.major + 1}.0.0`;
  if (part === 'minor') return `${v.major}.${v.minor + 1}.0`;
  return `${v.major}.${v.minor}.${v.patch + 1}`;
}

export function versionStripPatch(value: unknown): string {
  const v = parseVersion(value);
  return `${v.major}.${v.minor}`;
}
