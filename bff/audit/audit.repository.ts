import type { Knex } from 'knex';
import { currentRequestId } from '../../shared/tracing';

export interface AuditEntry {
  actorUserId: number | null;
  /** What happened, `<entity>.<verb>`: product.create, product.stock.adjust, … */
  action: string;
  entityType: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
}

const REQUEST_ID_MAX = 128;

/**
 * The only writer of audit_log. Write inside the change's own transaction, so a change and its audit row
 * commit (or roll back) together; the current request id ties the row to the logs.
 */
export function auditRepository(db: Knex) {
  return {
    async record(entry: AuditEntry, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('audit_log').insert({
        actor_user_id: entry.actorUserId,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: String(entry.entityId),
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
        request_id: currentRequestId()?.slice(0, REQUEST_ID_MAX) ?? null,
      });
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
