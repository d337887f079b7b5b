/** Where the console lives and the shop facts it shows; the API's own answers win when they carry them. */

/** The router's base: every page path below is relative to it. Matches `base` in vite.config.ts. */
export const APP_BASE = '/admin';

/** The shop's time zone (the API's SHOP_TIME_ZONE); statistics answers name it too, and win. */
export const SHOP_TIME_ZONE = 'Asia/Seoul';

/** The queue dashboard (Bull Board), served by the BFF behind the gateway, not by this app. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues/';

/** Refresh the access token this long before it expires. */
export const REFRESH_MARGIN_MS = 60_000;

/** Rows per page on list pages (the API's limit). */
export const PAGE_SIZE = 20;
