/** Test helpers: a RunContext with a recording output sink. Used only by *.test.ts files. */
import type { Action } from '../../domain/types.ts';
import type { OutputStream, RunContext } from '../runner.ts';

export interface RecordingSink {
  chunks: { stream: OutputStream; data: string }[];
  write(stream: OutputStream, data: string): void;
  accepting(stream: OutputStream): boolean;
  skipped(stream: OutputStream, bytes: number): void;
  text(stream: OutputStream): string;
}

export function recordingSink(): RecordingSink {
  const chunks: { stream: OutputStream; data: string }[] = [];
  return {
    chunks,
    write(stream, data) {
      chunks.push({ stream, data });
    },
    // Records everything: a test sink never lets the runner skip output.
    accepting: () => true,
    skipped: () => undefined,
    text(stream) {
      return chunks
        .filter((c) => c.stream === stream)
        .map((c) => c.data)
        .join('');
    },
  };
}

/** Records when each write reaches `sink` (Date.now()), for tests of output arriving live. */
export function writeTimes(sink: RecordingSink): number[] {
  const seen: number[] = [];
  const write = sink.write.bind(sink);
  sink.write = (stream, data) => {
    seen.push(Date.now());
    write(stream, data);
  };
  return seen;
}

export function testAction(overrides: Partial<Action> = {}): Action {
  return {
    id: '5f0000000000000000000001',
    uid: 'action:test:act',
    ref: 'test.act',
    name: 'act',
    pack: 'test',
    description: '',
    enabled: true,
    entry_point: '',
    runner_type: 'local-shell-cmd',
    parameters: {},
    output_schema: {},
    tags: [],
    notify: {},
    metadata_file: '',
    ...overrides,
  };
}

export function testContext(overrides: Partial<RunContext> = {}): RunContext & { output: RecordingSink } {
  return {
    executionId: '5f00000000000000000000e1',
    liveactionId: '5f00000000000000000000a1',
    action: testAction(),
    packPath: undefined,
    signal: new AbortController().signal,
    env: { ST2_ACTION_EXECUTION_ID: '5f00000000000000000000e1' },
    ...overrides,
    output: recordingSink(),
  };
}
