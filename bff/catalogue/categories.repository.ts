import type { Knex } from 'knex';

export interface CategoryRecord {
  id: number;
  parentId: number | null;
  slug: string;
  name: string;
  position: number;
}

/** Reads of the categories table (the demo seed and migrations write it; no admin endpoints yet). */
export function categoriesRepository(db: Knex) {
  return {
    async listAll(): Promise<CategoryRecord[]> {
      const rows = await db('categories')
        .orderBy([{ column: 'position' }, { column: 'name' }, { column: 'id' }])
        .select<
          Array<{ id: number; parent_id: number | null; slug: string; name: string; position: number }>
        >('id', 'parent_id', 'slug', 'name', 'position');
      return rows.map((row) => ({
        id: Number(row.id),
        parentId: row.parent_id === null ? null : Number(row.parent_id),
        slug: row.slug,
        name: row.name,
        position: row.position,
      }));
    },

    async exists(id: number, trx: Knex.Transaction): Promise<boolean> {
      return (await trx('categories').where({ id }).first('id')) !== undefined;
    },
  };
}
