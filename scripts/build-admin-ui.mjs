#!/usr/bin/env node
/**
 * Builds the admin console (admin-ui/ → admin-ui/dist) when it is missing or stale, then pre-compresses the
 * text assets (.gz beside each file, for nginx's gzip_static).
 *
 * Stale means: the SHA-256 of every input (admin-ui/ minus dist/, plus package-lock.json for the toolchain and
 * library versions) differs from the one stored in admin-ui/dist/.build-hash by the last build. A hash, not
 * file times, so a fresh checkout or a `git switch` that changes nothing rebuilds nothing, and any change does.
 *
 *   node scripts/build-admin-ui.mjs          build if stale (npm start's setup, npm test's pretest)
 *   node scripts/build-admin-ui.mjs --force  always build (npm run build:admin)
 *   node scripts/build-admin-ui.mjs --check  exit 1 when stale, build nothing
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlib } from 'node:zlib';

const gzip = promisify(gzipCallback);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP_DIR = path.join(ROOT, 'admin-ui');
const DIST_DIR = path.join(APP_DIR, 'dist');
const HASH_FILE = path.join(DIST_DIR, '.build-hash');
/** Inputs outside admin-ui/: the lock, and the API's validation rules the product editor bundles. */
const EXTRA_INPUTS = [
  path.join(ROOT, 'package-lock.json'),
  path.join(ROOT, 'bff/catalogue/admin-products.schemas.ts'),
];
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;
/** Below this, gzip saves too little to be worth a second file. */
const MIN_COMPRESS_BYTES = 512;
/** Hashed assets of earlier builds are kept this long (see pruneOldAssets). */
const OLD_ASSET_MS = 24 * 60 * 60 * 1000;

async function listFiles(dir, skip) {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (skip(full)) continue;
    if (entry.isDirectory()) files.push(...(await listFiles(full, skip)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** One hash over the inputs' paths and contents. */
export async function inputsHash() {
  const skip = (full) => full === DIST_DIR || full.endsWith(`${path.sep}node_modules`);
  const files = [...(await listFiles(APP_DIR, skip)), ...EXTRA_INPUTS.filter((file) => existsSync(file))];
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(ROOT, file));
    hash.update('\0');
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function storedHash() {
  try {
    if (!existsSync(path.join(DIST_DIR, 'index.html'))) return undefined;
    return (await readFile(HASH_FILE, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function precompress() {
  const files = await listFiles(DIST_DIR, () => false);
  let count = 0;
  for (const file of files) {
    if (!COMPRESSIBLE.test(file)) continue;
    const compressed = `${file}.gz`;
    if (existsSync(compressed) && (await stat(compressed)).mtimeMs >= (await stat(file)).mtimeMs) continue;
    const content = await readFile(file);
    if (content.length < MIN_COMPRESS_BYTES) continue;
    await writeFile(compressed, await gzip(content, { level: zlib.Z_BEST_COMPRESSION }));
    count += 1;
  }
  return count;
}

/** Sizes of what the sign-in page loads (index.html's script and stylesheet, and their static imports). */
async function firstLoadSizes() {
  const html = await readFile(path.join(DIST_DIR, 'index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/admin\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (match) => match[1],
  );
  let raw = 0;
  let gz = 0;
  for (const asset of new Set(assets)) {
    const file = path.join(DIST_DIR, asset);
    raw += (await stat(file)).size;
    gz += existsSync(`${file}.gz`) ? (await stat(`${file}.gz`)).size : (await stat(file)).size;
  }
  return { files: assets.length, raw, gz };
}

/**
 * Removes hashed assets that the new build does not use and that are older than a day. Vite does not empty
 * dist/ (vite.config.mts): a page loaded before this build may still lazy-load its own chunks for a while.
 */
async function pruneOldAssets(builtAt) {
  const assetsDir = path.join(DIST_DIR, 'assets');
  if (!existsSync(assetsDir)) return 0;
  let removed = 0;
  for (const name of await readdir(assetsDir)) {
    if (name.endsWith('.gz')) continue; // goes with its file
    const file = path.join(assetsDir, name);
    const { mtimeMs } = await stat(file);
    if (mtimeMs < builtAt - OLD_ASSET_MS) {
      await rm(file, { force: true });
      await rm(`${file}.gz`, { force: true });
      removed += 1;
    }
  }
  return removed;
}

async function build() {
  const { build: viteBuild } = await import('vite');
  const builtAt = Date.now();
  await viteBuild({ configFile: path.join(APP_DIR, 'vite.config.mts'), logLevel: 'warn' });
  await pruneOldAssets(builtAt);
  const compressed = await precompress();
  const hash = await inputsHash();
  await writeFile(HASH_FILE, `${hash}\n`);
  const sizes = await firstLoadSizes();
  console.log(
    `[admin-ui] built admin-ui/dist (${compressed} files pre-compressed); first load: ${sizes.files} files, ` +
      `${(sizes.raw / 1024).toFixed(1)} KB, ${(sizes.gz / 1024).toFixed(1)} KB gzip`,
  );
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const current = await inputsHash();
  const stale = (await storedHash()) !== current;
  if (args.has('--check')) {
    console.log(stale ? '[admin-ui] stale' : '[admin-ui] up to date');
    process.exitCode = stale ? 1 : 0;
    return;
  }
  if (!stale && !args.has('--force')) {
    console.log('[admin-ui] admin-ui/dist is up to date');
    return;
  }
  await build();
}

main().catch((error) => {
  console.error(`[admin-ui] build failed: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
