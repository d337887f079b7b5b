import { z } from 'zod';
import type { RouteDoc } from '../openapi/route-doc';

const check = z.union([
  z.strictObject({ ok: z.literal(true) }),
  z.strictObject({ ok: z.literal(false), error: z.string() }),
]);
const readiness = z.strictObject({
  ready: z.boolean(),
  checks: z.strictObject({ mysql: check, redis: check, eventLoop: check }),
});

export const healthRouteDocs: RouteDoc[] = [
  {
    operationId: 'getLiveness',
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers',
    tag: 'health',
    auth: 'public',
    responses: { 200: { description: 'Alive', schema: z.strictObject({ status: z.literal('ok') }) } },
    errors: [],
  },
  {
    operationId: 'getReadiness',
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: MySQL and Redis answer, and the event loop does not lag',
    tag: 'health',
    auth: 'public',
    responses: {
      200: { description: 'Ready', schema: readiness },
      503: { description: 'Not ready; the failing check says why', schema: readiness },
    },
    errors: [],
  },
];
