import type { CategoryRecord } from './categories.repository';
import { categoriesService } from './categories.service';

/** The service over a cached category list: no database or Redis round trip. */
function serviceOver(records: CategoryRecord[]) {
  const ctx = {
    db: {},
    redis: { get: async () => JSON.stringify(records), set: async () => 'OK' },
    config: { REDIS_PREFIX: 'unit' },
    logger: { warn: () => undefined },
  } as unknown as Parameters<typeof categoriesService>[0];
  return categoriesService(ctx);
}

const category = (id: number, parentId: number | null): CategoryRecord => ({
  id,
  parentId,
  slug: `c${id}`,
  name: `Category ${id}`,
  position: id,
});

describe('categories', () => {
  it('when a category has children and grandchildren, then its descendants are all listed once', async () => {
    const categories = serviceOver([
      category(1, null),
      category(2, 1),
      category(3, 2),
      category(4, 1),
      category(5, null),
    ]);
    expect((await categories.withDescendants('c1'))?.sort()).toEqual([1, 2, 3, 4]);
    expect(await categories.withDescendants('5')).toEqual([5]);
    expect(await categories.withDescendants('c9')).toBeNull();
  });

  it('when the parent links form a cycle (corrupt rows), then the walk still ends with each category once', async () => {
    const categories = serviceOver([category(1, 3), category(2, 1), category(3, 2), category(4, 4)]);
    expect((await categories.withDescendants('c1'))?.sort()).toEqual([1, 2, 3]);
    expect(await categories.withDescendants('c4')).toEqual([4]);
    expect((await categories.path(2)).map((ref) => ref.id)).toHaveLength(32);
  });
});
