/**
 * scripts/supervise.mjs, the supervisor behind `npm start`, run as a real process (as run-stack.mjs runs it)
 * over tiny child scripts: restarts, back-off, giving up, and Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, pidAlive, pollUntil } from './ops-support';

const SUPERVISE = path.join(REPO_ROOT, 'scripts/supervise.mjs');

interface Supervisor {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A child spec running `source` with node; `{{dir}}` in it is the test's scratch directory. */
function nodeChild(name: string, source: string, dir: string) {
  return { name, command: [process.execPath, '-e', source.replaceAll('{{dir}}', dir)] };
}

function startSupervisor(specs: unknown[], options: Record<string, number>): Supervisor {
  const script = `import { runSupervised } from ${JSON.stringify(SUPERVISE)};
runSupervised(JSON.parse(process.env.SPECS), JSON.parse(process.env.OPTIONS));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, SPECS: JSON.stringify(specs), OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout!.setEncoding('utf8').on('data', collect);
  child.stderr!.setEncoding('utf8').on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, exited };
}

async function exitWithin(supervisor: Supervisor, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      supervisor.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`supervisor still running:\n${supervisor.lines.join('\n')}`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const waitForLine = (supervisor: Supervisor, pattern: RegExp, timeoutMs = 15_000) =>
  pollUntil(
    () => supervisor.lines.find((line) => pattern.test(line)),
    timeoutMs,
    `a line matching ${pattern}\n${supervisor.lines.join('\n')}`,
  );

// Stays up, says its pid, and on SIGTERM says so and exits 0, as the stack's processes do.
const LONG_RUNNING =
  "console.log('pid ' + process.pid); setInterval(() => {}, 1000);" +
  "process.on('SIGTERM', () => { console.log('stopping on SIGTERM'); process.exit(0); });" +
  "process.on('SIGINT', () => {});";

describe('the npm start supervisor', () => {
  let dir: string;
  const supervisors: Supervisor[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vm-supervise-'));
  });
  afterEach(async () => {
    for (const supervisor of supervisors.splice(0)) {
      const { child } = supervisor;
      if (child.exitCode !== null || child.signalCode !== null) continue;
      // Ctrl-C, so the supervisor stops its children too (a SIGKILL would leave them running); bounded.
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('when a child exits unexpectedly, then the supervisor says so in one line and starts it again', async () => {
    // Crashes on its first run (the marker file does not exist yet), then stays up.
    const crashOnce =
      "const fs = require('node:fs'); const marker = '{{dir}}/crashed';" +
      "if (!fs.existsSync(marker)) { fs.writeFileSync(marker, ''); console.log('first run'); process.exit(3); }" +
      LONG_RUNNING;
    const supervisor = startSupervisor(
      [nodeChild('crashy', crashOnce, dir), nodeChild('steady', LONG_RUNNING, dir)],
      { firstDelayMs: 100, quickExitMs: 5_000, maxQuickExits: 3 },
    );
    supervisors.push(supervisor);

    await waitForLine(supervisor, /^\[crashy\] pid \d+$/);
    const announced = supervisor.lines.filter((line) => line.startsWith('[supervisor]'));
    expect(announced).toEqual([
      expect.stringMatching(
        /^\[supervisor\] crashy exited unexpectedly \(code 3 after \d+\.\d s\); restarting in 0\.1 s \(restart 1\)$/,
      ),
    ]);
    expect(supervisor.lines).toContain('[crashy] first run');
    expect(supervisor.lines.filter((line) => /^\[steady\] pid/.test(line))).toHaveLength(1);
  });

  it('when a child keeps exiting right after it starts, then the restarts back off and the supervisor gives up, stopping the others, with exit code 1', async () => {
    const supervisor = startSupervisor(
      [
        nodeChild('broken', "console.error('cannot start'); process.exit(1);", dir),
        nodeChild('steady', LONG_RUNNING, dir),
      ],
      { firstDelayMs: 100, quickExitMs: 10_000, maxQuickExits: 4 },
    );
    supervisors.push(supervisor);
    const steadyPid = Number((await waitForLine(supervisor, /^\[steady\] pid \d+$/)).split(' ')[2]);

    expect(await exitWithin(supervisor, 30_000)).toEqual({ code: 1, signal: null });
    const announced = supervisor.lines.filter((line) => line.startsWith('[supervisor]'));
    expect(announced.map((line) => /restarting in ([\d.]+) s/.exec(line)?.[1])).toEqual([
      '0.1',
      '0.2',
      '0.4',
      undefined,
    ]);
    expect(announced[3]).toMatch(
      /^\[supervisor\] broken exited unexpectedly \(code 1 after \d+\.\d s\), 4 times in a row, each within 10 s of starting; giving up and stopping everything/,
    );
    expect(supervisor.lines.filter((line) => line === '[broken] cannot start')).toHaveLength(4);
    expect(supervisor.lines).toContain('[steady] stopping on SIGTERM');
    expect(pidAlive(steadyPid)).toBe(false);
  });

  it('when a child crashes each time only after running a while, then it is restarted every time without back-off', async () => {
    const supervisor = startSupervisor(
      [nodeChild('flaky', "console.log('up'); setTimeout(() => process.exit(2), 400);", dir)],
      { firstDelayMs: 100, quickExitMs: 200, maxQuickExits: 2 },
    );
    supervisors.push(supervisor);
    await pollUntil(
      () => (supervisor.lines.filter((line) => line === '[flaky] up').length >= 4 ? true : undefined),
      20_000,
      `four runs\n${supervisor.lines.join('\n')}`,
    );
    supervisor.child.kill('SIGINT');
    expect(await exitWithin(supervisor, 15_000)).toEqual({ code: 0, signal: null });
    const announced = supervisor.lines.filter((line) => line.startsWith('[supervisor]'));
    expect(announced.length).toBeGreaterThanOrEqual(3);
    for (const line of announced) expect(line).toMatch(/\(code 2 after [\d.]+ s\); restarting in 0\.1 s/);
  });

  it('when Ctrl-C reaches the supervisor, then every child is stopped with SIGTERM, none is restarted, and it exits 0', async () => {
    const supervisor = startSupervisor(
      [nodeChild('one', LONG_RUNNING, dir), nodeChild('two', LONG_RUNNING, dir)],
      { firstDelayMs: 50 },
    );
    supervisors.push(supervisor);
    const pids = await Promise.all(
      ['one', 'two'].map(async (name) =>
        Number((await waitForLine(supervisor, new RegExp(`^\\[${name}\\] pid \\d+$`))).split(' ')[2]),
      ),
    );

    supervisor.child.kill('SIGINT');

    expect(await exitWithin(supervisor, 15_000)).toEqual({ code: 0, signal: null });
    expect(supervisor.lines).toEqual(
      expect.arrayContaining(['[one] stopping on SIGTERM', '[two] stopping on SIGTERM']),
    );
    expect(supervisor.lines.filter((line) => line.startsWith('[supervisor]'))).toEqual([]);
    expect(pids.filter(pidAlive)).toEqual([]);
  });
});
