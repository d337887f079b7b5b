/**
 * Group commit for job handlers: calls that arrive while a batch is being written wait and go together into
 * the next one. There is no timer, so a lone call starts at once; under load each batch holds what arrived
 * meanwhile (at most `maxSize`), and one transaction does the work of many jobs.
 *
 * A batch that fails is retried item by item with `runOne`, so one bad item fails only its own job (which
 * BullMQ retries) and never the others. The batch runs in the async context (request id) of the call that
 * started it; each job still logs its own end.
 */
export function microBatcher<T, R>(options: {
  maxSize: number;
  runBatch: (items: T[]) => Promise<Map<T, R>>;
  runOne: (item: T) => Promise<R>;
}): (item: T) => Promise<R> {
  type Waiting = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  const waiting: Waiting[] = [];
  let draining = false;

  async function runAlone(entry: Waiting): Promise<void> {
    try {
      entry.resolve(await options.runOne(entry.item));
    } catch (error) {
      entry.reject(error);
    }
  }

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, options.maxSize);
      let results: Map<T, R> | undefined;
      try {
        results = await options.runBatch(batch.map((entry) => entry.item));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else await Promise.all(batch.map(runAlone));
        continue;
      }
      for (const entry of batch) {
        if (results.has(entry.item)) entry.resolve(results.get(entry.item)!);
        else await runAlone(entry); // not answered by the batch: never left hanging
      }
    }
    draining = false;
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (draining) return;
      draining = true;
      // Calls made in the same tick join the first batch.
      queueMicrotask(() => void drain());
    });
}
