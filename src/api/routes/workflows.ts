/**
 * `/workflows/inspect`: StackStorm's inspection of an Orquesta definition. The body is the
 * definition's YAML as text (any content type; a JSON string body is accepted too); the answer is
 * the list of inspection errors, empty when the workflow can run.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.ts';

function definitionOf(body: unknown, contentType: string | undefined): string {
  const text = typeof body === 'string' ? body : '';
  if ((contentType ?? '').toLowerCase().startsWith('application/json')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'string') return parsed;
    } catch {
      // Not a JSON string: YAML sent under a JSON content type, as some clients do.
    }
  }
  return text;
}

export function registerWorkflowRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  app.post(`${base}/inspect`, async (request) => {
    return ctx.engine.inspectWorkflow(definitionOf(request.body, request.headers['content-type']));
  });
}
