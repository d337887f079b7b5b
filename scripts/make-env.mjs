// Creates .env from .env.example on first run, filling every <generated> secret with a fresh value.
// An existing .env is left alone, so local secrets survive restarts.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const target = new URL('../.env', import.meta.url);
if (existsSync(target)) {
  console.log('[setup] .env exists; keeping it');
  process.exit(0);
}
const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
const generated = {
  GATEWAY_SECRET: () => randomBytes(32).toString('hex'),
  JWT_PRIVATE_KEY: () =>
    generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString()
      .trim()
      .replace(/\n/g, '\\n'),
};
const lines = example.split('\n').map((line) => {
  const match = /^([A-Z0-9_]+)=<generated>/.exec(line);
  if (!match) return line;
  const make = generated[match[1]];
  if (!make) throw new Error(`no generator for ${match[1]}`);
  return `${match[1]}="${make()}"`;
});
writeFileSync(target, lines.join('\n'), { mode: 0o600 });
console.log('[setup] wrote .env with fresh secrets');
