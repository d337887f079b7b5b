import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES } from '../shared/config';

const root = path.join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('.env.example', () => {
  it('when a process reads a variable, then .env.example names it (set or commented out)', () => {
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    const read = new Set<string>(CONFIG_VARIABLES);
    for (const dir of ['bff', 'workers', 'shared', 'nginx', 'fakes']) {
      for (const file of sourceFiles(path.join(root, dir))) {
        for (const match of readFileSync(file, 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g))
          read.add(match[1]!);
        for (const match of readFileSync(file, 'utf8').matchAll(/optional\('([A-Z][A-Z0-9_]+)'/g))
          read.add(match[1]!);
      }
    }
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });
});
