import type { Knex } from 'knex';

export interface ProductImage {
  id: number;
  url: string;
  position: number;
  isPrimary: boolean;
}

/** The only code that writes product_images. Callers hold the product's row lock (findByIdForUpdate). */
export function productImagesRepository(db: Knex) {
  return {
    /** Primary first, then by position (id breaks ties). */
    async listForProduct(productId: number, trx?: Knex.Transaction): Promise<ProductImage[]> {
      const rows = await (trx ?? db)('product_images')
        .where({ product_id: productId })
        .orderBy([
          { column: 'is_primary', order: 'desc' },
          { column: 'position', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .select<Array<{ id: number | string; url: string; position: number; is_primary: number | boolean }>>(
          'id',
          'url',
          'position',
          'is_primary',
        );
      return rows.map((row) => ({
        id: Number(row.id),
        url: row.url,
        position: row.position,
        isPrimary: Boolean(row.is_primary),
      }));
    },

    /** Appends images after the last position; the first becomes primary if `makeFirstPrimary`. */
    async append(
      trx: Knex.Transaction,
      productId: number,
      urls: string[],
      makeFirstPrimary: boolean,
    ): Promise<number[]> {
      if (urls.length === 0) return [];
      const last = (await trx('product_images')
        .where({ product_id: productId })
        .max<{ position: number | null }>('position as position')
        .first()) ?? { position: null };
      const start = (last.position ?? -1) + 1;
      if (makeFirstPrimary)
        await trx('product_images').where({ product_id: productId }).update({ is_primary: false });
      const ids: number[] = [];
      for (const [offset, url] of urls.entries()) {
        const [id] = await trx('product_images').insert({
          product_id: productId,
          url,
          position: start + offset,
          is_primary: makeFirstPrimary && offset === 0,
        });
        ids.push(Number(id));
      }
      return ids;
    },

    async setPrimary(trx: Knex.Transaction, productId: number, imageId: number): Promise<void> {
      await trx('product_images')
        .where({ product_id: productId })
        .update({ is_primary: trx.raw('id = ?', [imageId]) });
    },

    /** Positions 0…n-1 in the given order; `imageIds` must be exactly the product's images. */
    async reorder(trx: Knex.Transaction, productId: number, imageIds: number[]): Promise<void> {
      for (const [position, id] of imageIds.entries()) {
        await trx('product_images').where({ product_id: productId, id }).update({ position });
      }
    },

    async remove(trx: Knex.Transaction, productId: number, imageId: number): Promise<void> {
      await trx('product_images').where({ product_id: productId, id: imageId }).delete();
    },
  };
}
