// Turns plain text lines on stdin into JSON log lines on stdout, in the format of every other process
// (docs/logging.md): { time (ISO 8601 UTC with ms), level, service, msg }. Lines that are JSON already pass
// unchanged. `npm start`'s set-up (scripts/setup.sh) pipes its output through it when LOG_FORMAT=json.
// Usage: <command> | node scripts/json-lines.mjs <service>
import { createInterface } from 'node:readline';

const service = process.argv[2] || 'setup';
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  if (line.startsWith('{')) {
    try {
      JSON.parse(line);
      process.stdout.write(`${line}\n`);
      continue;
    } catch {
      // not JSON after all: wrapped below
    }
  }
  const level = /\b(error|failed|cannot|fatal)\b/i.test(line) ? 50 : /\bwarn/i.test(line) ? 40 : 30;
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, service, msg: line })}\n`);
}
