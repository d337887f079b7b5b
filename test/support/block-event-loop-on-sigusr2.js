// Preloaded (NODE_OPTIONS=--require) into a real BFF or worker process by test/ops/event-loop-watchdog.test.ts:
// SIGUSR2 makes the process's main thread spin in a synchronous loop for good, as a runaway computation
// would. Test-only: the production entry points have no such hook.
process.on('SIGUSR2', () => {
  process.stderr.write('blocking the event loop\n');
  for (;;) {
    // spin
  }
});
