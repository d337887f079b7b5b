/** Shapes of GET /api/admin/orders and /api/admin/orders/{id} (docs/openapi.json is the reference). */

export const ORDER_STATUSES = [
  'PENDING',
  'STOCK_RESERVED',
  'CONFIRMED',
  'CANCEL_REQUESTED',
  'REJECTED',
  'PAYMENT_FAILED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** States the workers still move on from by themselves: the page listens for changes while in one. */
export const IN_PROGRESS: readonly string[] = ['PENDING', 'STOCK_RESERVED', 'CANCEL_REQUESTED'];

/** States no move leaves (the API's FINAL_STATUSES, shared/orders/order-state-machine.ts). */
export const FINAL_STATUSES: readonly string[] = ['REJECTED', 'PAYMENT_FAILED', 'CANCELLED'];

export interface OrderListItem {
  id: number;
  user: { id: number; email: string | null };
  status: OrderStatus;
  total: number;
  paymentMethod: string;
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
  cancelledAt: string | null;
}

export interface OrderItem {
  productId: number;
  name: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

export interface Payment {
  kind: string;
  status: string;
  amount: number;
  attempts: number;
  lastError: string | null;
  gatewayKey: string | null;
  gatewayPaymentKey: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StockMove {
  productId: number;
  kind: string;
  quantity: number;
  at: string;
}

export interface OrderJob {
  queue: string;
  id: string;
  name: string;
  state: string;
  attemptsMade: number;
  maxAttempts: number;
  failedReason: string | null;
  createdAt: string | null;
  processedAt: string | null;
  finishedAt: string | null;
  dashboard: string;
}

/** The API's own timeline (GET /api/admin/orders/{id} `timeline`): its state entries are used as they are. */
export interface ServerTimelineEntry {
  at: string;
  type: 'status' | 'cancel' | 'payment' | 'stock' | 'job';
  status?: string;
  summary: string;
  /** False when the time is read off another record (the reserve ledger row, the last update). */
  exact: boolean;
}

export interface OrderDetail {
  order: OrderListItem & {
    shippingAddress: Record<string, string> | null;
    fromCart: boolean;
    idempotencyKey: string | null;
    requestId: string | null;
    cancelRequestedAt?: string | null;
    items: OrderItem[];
    payments: Payment[];
    stockMoves: StockMove[];
  };
  jobs: OrderJob[] | null;
  jobsError?: string;
  timeline?: ServerTimelineEntry[];
}
