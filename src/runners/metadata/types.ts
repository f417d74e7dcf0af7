import type { RunnerType } from '../../domain/types.ts';

/** A runner type as its `runner.yaml` declares it; the catalogue adds `id` and `uid`. */
export type RunnerTypeMetadata = Omit<RunnerType, 'id' | 'uid'>;
