import { api } from '../../api/client';
import type { CategoryNode } from './types';

export interface CategoryOption {
  id: number;
  /** The path, e.g. "TV › OLED". */
  label: string;
}

/** The category tree as options in tree order, each labelled with its path. */
export function flattenCategories(nodes: CategoryNode[], parents: string[] = []): CategoryOption[] {
  return nodes.flatMap((node) => {
    const path = [...parents, node.name];
    return [{ id: node.id, label: path.join(' › ') }, ...flattenCategories(node.children ?? [], path)];
  });
}

export async function loadCategories(signal: AbortSignal): Promise<CategoryOption[]> {
  const answer = await api<{ categories: CategoryNode[] }>('GET', '/api/categories', { signal });
  return flattenCategories(answer.categories);
}

export async function loadBrands(signal: AbortSignal): Promise<{ brand: string; products: number }[]> {
  return (await api<{ items: { brand: string; products: number }[] }>('GET', '/api/admin/brands', { signal }))
    .items;
}
