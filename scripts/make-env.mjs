// Creates .env from .env.example on first run, filling every <generated> secret with a fresh value.
// An existing .env is kept as it is, so local secrets and edits survive restarts; a setting it lacks (one
// added to the project since it was written, such as SOLAPI_BASE_URL pointing SMS at the local fake) is
// appended: a <generated> secret with a fresh value, any other with .env.example's development value.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const target = new URL('../.env', import.meta.url);
const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
const generated = {
  GATEWAY_SECRET: () => randomBytes(32).toString('hex'),
  JWT_PRIVATE_KEY: () =>
    generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString()
      .trim()
      .replace(/\n/g, '\\n'),
  SMS_PAYLOAD_KEY: () => randomBytes(32).toString('base64'),
};
const generatedLine = (name) => {
  const make = generated[name];
  if (!make) throw new Error(`no generator for ${name}`);
  return `${name}="${make()}"`;
};
/** Every setting .env.example assigns (commented-out ones are optional and stay out), as its line. */
const exampleSettings = [...example.matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map(([line, name, value]) => ({
  name,
  line: value.startsWith('<generated>') ? generatedLine(name) : line,
}));

if (existsSync(target)) {
  const current = readFileSync(target, 'utf8');
  // A name mentioned in .env at all, even commented out, was decided on by its owner: left alone.
  const missing = exampleSettings.filter(({ name }) => !new RegExp(`^[#\\s]*${name}=`, 'm').test(current));
  if (missing.length === 0) {
    console.log('[setup] .env exists; keeping it');
    process.exit(0);
  }
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  appendFileSync(target, `${separator}${missing.map(({ line }) => line).join('\n')}\n`);
  console.log(
    `[setup] .env exists; keeping it, added the settings it lacked: ${missing.map(({ name }) => name).join(', ')}`,
  );
  process.exit(0);
}
const lines = example.split('\n').map((line) => {
  const match = /^([A-Z0-9_]+)=<generated>/.exec(line);
  return match ? generatedLine(match[1]) : line;
});
writeFileSync(target, lines.join('\n'), { mode: 0o600 });
console.log('[setup] wrote .env with fresh secrets');
