/**
 * The gateway options a benchmark uses to start its own nginx: what `nginx/run.ts` would configure (template,
 * Lua token check with the stack's key, issuer, audience and gateway secret), on a free port and in a prefix
 * of the benchmark's own, in front of the given upstreams.
 */
import { createPublicKey } from 'node:crypto';
import type { GatewayOptions } from '../../nginx/render';
import type { Config } from '../../shared/config';
import { freePort } from './processes';

export async function benchGatewayOptions(
  config: Pick<
    Config,
    | 'JWT_KID'
    | 'JWT_PRIVATE_KEY'
    | 'JWT_ISSUER'
    | 'JWT_AUDIENCE'
    | 'GATEWAY_SECRET'
    | 'REDIS_URL'
    | 'REDIS_PREFIX'
  >,
  upstreams: string[],
  prefixDir: string,
): Promise<GatewayOptions> {
  return {
    listenHost: '127.0.0.1',
    listenPort: await freePort(),
    upstreams,
    prefixDir,
    publicKeys: [
      {
        kid: config.JWT_KID,
        pem: createPublicKey(config.JWT_PRIVATE_KEY).export({ type: 'spki', format: 'pem' }).toString(),
      },
    ],
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    gatewaySecret: config.GATEWAY_SECRET,
    redis: { url: config.REDIS_URL, prefix: config.REDIS_PREFIX },
  };
}
