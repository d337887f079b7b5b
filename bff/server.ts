import http from 'node:http';
import type { Express } from 'express';
import { answerUnparsableRequestsAsJson } from './http/unparsable-requests';

/**
 * The largest request head (request line and headers) the BFF reads. nginx forwards heads up to its
 * `large_client_header_buffers` (4 × 16k, nginx/nginx.conf.template) plus the headers it adds itself;
 * Node's default of 16 KiB is lower, and Node refuses a larger head with a bare 431: no JSON body, no
 * request id. With room above the gateway's limit, the gateway alone decides what is too large.
 */
export const MAX_REQUEST_HEAD_BYTES = 96 * 1024;

/** The BFF's HTTP server for `app`, not yet listening (bff/main.ts and the tests' BFF both use it). */
export function createBffServer(app: Express): http.Server {
  const server = http.createServer({ maxHeaderSize: MAX_REQUEST_HEAD_BYTES }, app);
  answerUnparsableRequestsAsJson(server);
  return server;
}
