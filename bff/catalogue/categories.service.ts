import type { BffContext } from '../context';
import { appKey } from '../../shared/redis';
import { bestEffort } from './best-effort-cache';
import { categoriesRepository, type CategoryRecord } from './categories.repository';

/** Short: the tree changes rarely and has no admin endpoint yet, so its TTL is the invalidation. */
export const CATEGORY_CACHE_TTL_SECONDS = 60;

export interface CategoryRef {
  id: number;
  slug: string;
  name: string;
}

export interface CategoryNode extends CategoryRef {
  position: number;
  children: CategoryNode[];
}

/** The category tree, cached in Redis as one flat list; every lookup below works on that list. */
export function categoriesService(ctx: Pick<BffContext, 'db' | 'redis' | 'config' | 'logger'>) {
  const repository = categoriesRepository(ctx.db);
  const cacheKey = appKey(ctx.config.REDIS_PREFIX, 'catalogue', 'categories');

  async function all(): Promise<CategoryRecord[]> {
    const cached = await bestEffort(ctx.logger, 'read categories', () => ctx.redis.get(cacheKey));
    if (cached) return JSON.parse(cached) as CategoryRecord[];
    const records = await repository.listAll();
    await bestEffort(ctx.logger, 'write categories', () =>
      ctx.redis.set(cacheKey, JSON.stringify(records), 'EX', CATEGORY_CACHE_TTL_SECONDS),
    );
    return records;
  }

  const ref = ({ id, slug, name }: CategoryRecord): CategoryRef => ({ id, slug, name });

  return {
    all,

    /** Nested roots → children, each level ordered by position then name (as listAll sorts). */
    async tree(): Promise<CategoryNode[]> {
      const records = await all();
      const nodes = new Map<number, CategoryNode>(
        records.map((record) => [record.id, { ...ref(record), position: record.position, children: [] }]),
      );
      const roots: CategoryNode[] = [];
      for (const record of records) {
        const node = nodes.get(record.id)!;
        const parent = record.parentId === null ? undefined : nodes.get(record.parentId);
        (parent ? parent.children : roots).push(node);
      }
      return roots;
    },

    /** The category named by slug or id and all its descendants' ids; null when there is no such category. */
    async withDescendants(slugOrId: string): Promise<number[] | null> {
      const records = await all();
      const root = /^[0-9]+$/.test(slugOrId)
        ? records.find((record) => record.id === Number(slugOrId))
        : records.find((record) => record.slug === slugOrId.toLowerCase());
      if (!root) return null;
      const childrenOf = new Map<number, number[]>();
      for (const record of records) {
        if (record.parentId === null) continue;
        const siblings = childrenOf.get(record.parentId);
        if (siblings) siblings.push(record.id);
        else childrenOf.set(record.parentId, [record.id]);
      }
      // Each category is taken once, so corrupt parent links that form a cycle cannot grow the walk for ever.
      const ids = new Set([root.id]);
      for (const id of ids) for (const child of childrenOf.get(id) ?? []) ids.add(child);
      return [...ids];
    },

    /** Root → leaf path of a category (empty if unknown); bounded so a corrupt cycle cannot loop. */
    async path(categoryId: number): Promise<CategoryRef[]> {
      const byId = new Map((await all()).map((record) => [record.id, record]));
      const path: CategoryRef[] = [];
      for (let current = byId.get(categoryId); current && path.length < 32;) {
        path.unshift(ref(current));
        current = current.parentId === null ? undefined : byId.get(current.parentId);
      }
      return path;
    },

    /** id → {id, slug, name}, for facet labels. */
    async refsById(): Promise<Map<number, CategoryRef>> {
      return new Map((await all()).map((record) => [record.id, ref(record)]));
    },
  };
}

export type CategoriesService = ReturnType<typeof categoriesService>;
