/** Shapes of the admin product API's answers (bff/catalogue/admin-products.*; docs/openapi.json is the reference). */

export type ProductStatus = 'active' | 'deleted';
export type SpecValue = string | number | boolean;

export interface ProductListItem {
  id: number;
  sku: string;
  name: string;
  brand: string;
  categoryId: number;
  categoryName: string;
  price: number;
  stock: number;
  status: ProductStatus;
  primaryImageUrl: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface ProductList {
  items: ProductListItem[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ProductImage {
  id: number;
  url: string;
  position: number;
  isPrimary: boolean;
}

export interface AdminProduct {
  id: number;
  sku: string;
  name: string;
  brand: string;
  description: string;
  price: number;
  categoryId: number;
  categoryPath: { id: number; slug: string; name: string }[];
  specs: Record<string, SpecValue>;
  images: ProductImage[];
  stock: number;
  status: ProductStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface CategoryNode {
  id: number;
  slug: string;
  name: string;
  children: CategoryNode[];
}

export interface LedgerEntry {
  id: number;
  delta: number;
  reason: string | null;
  /** Present once the API records it. */
  stockAfter?: number | null;
  adminId: number | null;
  orderId: number | null;
  kind: string;
  createdAt: string;
}

/** The 412's details: the product as it is now, so the page can show what changed. */
export interface ConflictDetails {
  currentVersion?: number;
  currentEtag?: string | null;
  current?: AdminProduct;
}
