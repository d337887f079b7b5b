import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|lua|template)$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('docs/errors.md', () => {
  it('when the code raises an error code, then docs/errors.md lists it', () => {
    const documented = readFileSync(path.join(root, 'docs', 'errors.md'), 'utf8');
    const raised = new Set<string>();
    for (const file of [
      ...sourceFiles(path.join(root, 'bff')),
      ...sourceFiles(path.join(root, 'shared')),
      ...sourceFiles(path.join(root, 'nginx')),
    ]) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/code(?:: string)? = '([A-Z][A-Z_]+)'/g)) raised.add(match[1]!);
      for (const match of text.matchAll(/"code":\s*"([A-Z][A-Z_]+)"/g)) raised.add(match[1]!);
      // Lua constant tables: INVALID_TOKEN = 'INVALID_TOKEN'
      for (const match of text.matchAll(/^\s*([A-Z][A-Z_]{3,}) = '\1'/gm)) raised.add(match[1]!);
      for (const match of text.matchAll(/(?:error_code|code)\s*=\s*'([A-Z][A-Z_]{3,})'/g))
        raised.add(match[1]!);
    }
    expect(raised.size).toBeGreaterThan(20);
    expect([...raised].filter((code) => !documented.includes(`\`${code}\``)).sort()).toEqual([]);
  });
});
