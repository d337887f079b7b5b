import type { Config } from '../../shared/config';
import type { Logger } from '../../shared/logger';
import { orderEventsChannel, type OrderEvent } from '../../shared/orders/order-events';
import { closeRedis, createRedis, type Redis } from '../../shared/redis';
import { withTimeout } from '../../shared/shutdown';

type Listener = (event: OrderEvent) => void;

/**
 * One Redis subscriber per BFF process, shared by every request that waits on an order (Prefer: wait,
 * SSE). Events are hints: callers always read the order row after subscribing, and again on a timer, so a
 * lost message only delays an answer. On a cluster (REDIS_CLUSTER_NODES) it uses sharded pub/sub
 * (SSUBSCRIBE, one subscriber connection per shard), as the workers SPUBLISH there.
 */
export class OrderEventsListener {
  private subscriber: Redis | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly sharded: boolean;

  constructor(
    private readonly config: Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_PREFIX'>,
    private readonly logger: Logger,
  ) {
    this.sharded = (config.REDIS_CLUSTER_NODES?.length ?? 0) > 0;
  }

  private connection(): Redis {
    if (!this.subscriber) {
      // The offline queue lets the first subscribe wait for the connection; each wait is bounded below.
      this.subscriber = createRedis(
        this.config,
        'producer',
        { enableOfflineQueue: true },
        (error) => this.logger.warn({ err: error.message }, 'order events subscriber error'),
        { shardedSubscribers: true },
      );
      this.subscriber.on(this.sharded ? 'smessage' : 'message', (channel: string, message: string) => {
        const listeners = this.listeners.get(channel);
        if (!listeners) return;
        let event: OrderEvent;
        try {
          event = JSON.parse(message) as OrderEvent;
        } catch {
          return;
        }
        for (const listener of listeners) listener(event);
      });
    }
    return this.subscriber;
  }

  /** Subscribes `listener` to one order's events; resolves once Redis confirmed the subscription. */
  async subscribe(orderId: number, listener: Listener): Promise<() => void> {
    const channel = orderEventsChannel(this.config.REDIS_PREFIX, orderId);
    let listeners = this.listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(channel, listeners);
    }
    listeners.add(listener);
    if (listeners.size === 1) {
      const connection = this.connection();
      const subscribed = this.sharded ? connection.ssubscribe(channel) : connection.subscribe(channel);
      await withTimeout(subscribed, 1000, 'subscribing to order events').catch((error: unknown) =>
        this.logger.warn({ err: error }, 'could not subscribe to order events'),
      );
    }
    return () => {
      const current = this.listeners.get(channel);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(channel);
        const subscriber = this.subscriber;
        if (subscriber)
          (this.sharded ? subscriber.sunsubscribe(channel) : subscriber.unsubscribe(channel)).catch(
            () => undefined,
          );
      }
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    if (this.subscriber) await closeRedis(this.subscriber);
  }
}
