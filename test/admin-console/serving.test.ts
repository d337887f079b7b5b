/**
 * nginx serves the admin console's built files under /admin/ (nginx.conf.template): hashed assets cached for a
 * year and pre-compressed, every other path answered with index.html (never cached) under a strict
 * Content-Security-Policy, and /admin/queues still the token-checked queue dashboard. A fixture build in a
 * tmp directory stands in for admin-ui/dist, so the test checks the gateway, not the bundler.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startTestGateway, type TestGateway } from '../support/gateway';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/admin/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>\n';
const APP_JS = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;

describe('the admin console through the gateway', () => {
  let gateway: TestGateway;
  let distDir: string;
  let upstream: Server;

  beforeAll(async () => {
    distDir = await mkdtemp(path.join(os.tmpdir(), 'vm-admin-ui-'));
    await chmod(distDir, 0o755); // nginx workers may run as nobody
    await mkdir(path.join(distDir, 'assets'));
    await writeFile(path.join(distDir, 'index.html'), INDEX_HTML);
    await writeFile(path.join(distDir, 'assets', 'app-abc123.js'), APP_JS);
    await writeFile(path.join(distDir, 'assets', 'app-abc123.js.gz'), gzipSync(APP_JS));
    await writeFile(path.join(distDir, 'assets', 'app-abc123.css'), 'body{margin:0}\n');
    // The console's routes need no upstream; /admin/queues is refused before reaching one.
    upstream = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { publicKey } = generateKeyPairSync('ed25519');
    gateway = await startTestGateway({
      upstreamPort: (upstream.address() as AddressInfo).port,
      gatewaySecret: randomBytes(24).toString('hex'),
      publicKeys: [{ kid: 'k1', pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
      adminUiDir: distDir,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
    await rm(distDir, { recursive: true, force: true });
  });

  it('when /admin/ is asked for, then index.html comes with no-cache and the strict security headers', async () => {
    const response = await fetch(`${gateway.url}/admin/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(await response.text()).toBe(INDEX_HTML);
  });

  it.each(['/admin/login', '/admin/users/42', '/admin/products?q=tv', '/admin/index.html', '/admin/Queues/'])(
    'when the app route %s is loaded, then index.html answers (the app routes it)',
    async (route) => {
      const response = await fetch(`${gateway.url}${route}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(await response.text()).toBe(INDEX_HTML);
    },
  );

  it('when /admin is asked for, then it redirects to /admin/ with a relative Location', async () => {
    const response = await fetch(`${gateway.url}/admin`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/admin/');
  });

  it('when a hashed asset is asked for with gzip, then the pre-compressed file comes, cached for a year', async () => {
    const response = await fetch(`${gateway.url}/admin/assets/app-abc123.js`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(APP_JS); // fetch undoes the gzip
  });

  it('when a stylesheet is asked for, then it is text/css and immutable', async () => {
    const response = await fetch(`${gateway.url}/admin/assets/app-abc123.css`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('when an asset does not exist, then the answer is the JSON 404, not index.html', async () => {
    const response = await fetch(`${gateway.url}/admin/assets/gone-000.js`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as any;
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('when /admin/queues/ is asked for without a token, then the gateway refuses it (never index.html)', async () => {
    const response = await fetch(`${gateway.url}/admin/queues/`, {
      redirect: 'manual',
      headers: { Accept: 'application/json' },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).error.code).toBe('UNAUTHORIZED');
  });
});
