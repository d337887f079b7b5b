/**
 * Hides the console lines knex and mysql2 print when a test cuts the database on purpose ("Acquire
 * connection error", "Connection lost", ECONNREFUSED); every other line still prints. Returns the restore.
 */
export function quietConnectionLoss(): () => void {
  const expected = /Connection (Error|lost)|Acquire connection error|ECONNREFUSED/;
  const original = { log: console.log, warn: console.warn, error: console.error };
  for (const level of ['log', 'warn', 'error'] as const) {
    console[level] = (...args: unknown[]) => {
      if (!expected.test(args.map(String).join(' '))) original[level](...args);
    };
  }
  return () => Object.assign(console, original);
}
