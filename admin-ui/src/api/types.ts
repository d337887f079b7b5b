/** Shapes of the admin API's answers that the console reads (docs/openapi.json is the reference). */

export type Role = 'user' | 'admin';
export type UserStatus = 'active' | 'suspended';

export interface SessionUser {
  id: number;
  /** null for an account that signed up through an external provider without an e-mail. */
  email: string | null;
  role: Role;
  name?: string | null;
}

export interface AdminUser {
  id: number;
  email: string;
  name: string | null;
  phone: string | null;
  phoneVerified: boolean;
  role: Role;
  status: UserStatus;
  createdAt: string;
  updatedAt: string;
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface UserOrderTotals {
  placed: number;
  confirmed: number;
  refunded: number;
  grossSpent: number;
  refundedAmount: number;
  totalSpent: number;
  lastOrderAt: string | null;
}

export interface AdminUserDetail {
  user: AdminUser;
  orders: UserOrderTotals;
  activeSessions: number;
}

export interface SalesFigures {
  orders: number;
  units: number;
  revenue: number;
  refunds: number;
  refundedOrders: number;
  net: number;
}

export interface StatsOverview {
  timeZone: string;
  today: SalesFigures & { day: string };
  yesterday: SalesFigures & { day: string };
  newUsersToday: number;
  pendingOrders: { total: number; byStatus: Record<string, number> };
  failedJobs: Record<string, number> | null;
}

export type Granularity = 'day' | 'week' | 'month';

export interface SalesBucket extends SalesFigures {
  period: string;
  start: string;
  end: string;
}

export interface SalesStats {
  from: string;
  to: string;
  granularity: Granularity;
  timeZone: string;
  buckets: SalesBucket[];
  totals: SalesFigures;
}

export interface TopProduct {
  productId: number;
  name: string | null;
  units: number;
  revenue: number;
}

export interface TopProducts {
  from: string;
  to: string;
  timeZone: string;
  items: TopProduct[];
}
