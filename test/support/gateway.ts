/**
 * Real nginx gateways for tests: each on a free port with its own tmp prefix directory,
 * removed again on stop().
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  startGateway,
  writeGatewayConfig,
  type GatewayOptions,
  type RunningGateway,
} from '../../nginx/render';
import { testRedisPrefix } from './redis';

/** A TCP port that was free a moment ago (the OS picks it; nothing listens on it now). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestGatewayOptions extends Partial<
  Omit<GatewayOptions, 'listenPort' | 'prefixDir' | 'upstreams' | 'gatewaySecret' | 'publicKeys'>
> {
  /** Port of the upstream (BFF or a stub) on 127.0.0.1. */
  upstreamPort: number;
  gatewaySecret: string;
  publicKeys: GatewayOptions['publicKeys'];
}

export interface TestGateway {
  url: string;
  port: number;
  prefixDir: string;
  options: GatewayOptions;
  gateway: RunningGateway;
  /** Rewrites the config with these changes and reloads nginx (waits for the new workers). */
  reconfigure(changes: Partial<GatewayOptions>): Promise<void>;
  /** Parsed JSON lines of the access log written so far. */
  accessLog(): Promise<Record<string, unknown>[]>;
  /** Stops nginx and removes the prefix directory. */
  stop(): Promise<void>;
}

const START_ATTEMPTS = 3;

/**
 * Starts nginx in front of 127.0.0.1:<upstreamPort>. Tests default to one worker so that
 * rate-limit and reload behaviour do not depend on the machine's core count, and to the test
 * Redis under a prefix of their own (empty: no login is revoked until a test writes a record).
 */
export async function startTestGateway(o: TestGatewayOptions): Promise<TestGateway> {
  const { upstreamPort, ...rest } = o;
  const prefixDir = await mkdtemp(path.join(os.tmpdir(), 'vm-gateway-'));
  try {
    for (let attempt = 1; ; attempt++) {
      const options: GatewayOptions = {
        listenHost: '127.0.0.1',
        upstreams: [`127.0.0.1:${upstreamPort}`],
        issuer: 'voltmall',
        audience: 'voltmall-api',
        workerProcesses: 1,
        redis: { url: process.env.REDIS_URL!, prefix: testRedisPrefix('gateway') },
        ...rest,
        listenPort: await freePort(),
        prefixDir,
      };
      let gateway: RunningGateway;
      try {
        gateway = await startGateway(options);
      } catch (error) {
        // freePort() is inherently racy: another process may grab the port before nginx binds it
        const portTaken = /Address already in use/.test((error as Error).message);
        if (portTaken && attempt < START_ATTEMPTS) continue;
        throw error;
      }
      return wrap(gateway, options, prefixDir);
    }
  } catch (error) {
    await rm(prefixDir, { recursive: true, force: true });
    throw error;
  }
}

function wrap(gateway: RunningGateway, initialOptions: GatewayOptions, prefixDir: string): TestGateway {
  let options = initialOptions;
  return {
    url: gateway.url,
    port: options.listenPort,
    prefixDir,
    get options() {
      return options;
    },
    gateway,
    async reconfigure(changes) {
      options = { ...options, ...changes, listenPort: options.listenPort, prefixDir };
      await writeGatewayConfig(options);
      await gateway.reload();
    },
    async accessLog() {
      const text = await readFile(path.join(prefixDir, 'logs', 'access.log'), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    async stop() {
      try {
        await gateway.stop();
      } finally {
        await rm(prefixDir, { recursive: true, force: true });
      }
    },
  };
}
