import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { api } from '../../api/client';
import { useApiData } from '../../api/use-api';
import { ErrorMessage } from '../../components/error-message';
import { formatCount, formatDateTime, formatWon } from '../../components/format';
import { Pager } from '../../components/pager';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { loadBrands, loadCategories } from './catalogue-lookups';
import type { ProductList } from './types';
import './products.css';

/** Every filter lives in the URL (/admin/products?q=…&sort=…), so a reload or a shared link keeps it. */
const FILTERS = ['q', 'categoryId', 'brand', 'status', 'stock', 'sort', 'page'] as const;
type FilterName = (typeof FILTERS)[number];
type Filters = Record<FilterName, string>;

const DEFAULT_SORT = '-updatedAt';
const PAGE_SIZE = 25;
type SortField = 'name' | 'price' | 'stock' | 'updatedAt';

function filtersOf(search: string): Filters {
  const params = new URLSearchParams(search);
  return Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Filters;
}

function searchOf(filters: Partial<Filters>): string {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = filters[name]?.trim();
    if (value) params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Products: search, filters, sortable columns, pages. */
export default function ProductListPage() {
  const { t, language } = useI18n();
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = filtersOf(search);
  const [draft, setDraft] = useState<Filters>(filters);
  const [seenSearch, setSeenSearch] = useState(search);
  if (seenSearch !== search) {
    // Back/forward or a link changed the URL: the inputs follow it.
    setSeenSearch(search);
    setDraft(filters);
  }
  const page = Math.max(1, Number(filters.page) || 1);
  const sort = filters.sort || DEFAULT_SORT;

  const categories = useApiData(loadCategories, 'categories');
  const brands = useApiData(loadBrands, 'brands');
  const products = useApiData(
    (signal) =>
      api<ProductList>('GET', '/api/admin/products', {
        query: {
          q: filters.q.trim(),
          categoryId: filters.categoryId,
          brand: filters.brand,
          status: filters.status || 'all',
          stock: filters.stock,
          sort,
          page,
          pageSize: PAGE_SIZE,
        },
        signal,
      }),
    search,
  );

  const go = (next: Partial<Filters>) => navigate(`/products${searchOf({ ...filters, ...next })}`);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    go({ ...draft, sort: filters.sort, page: '' });
  }

  function onSort(field: SortField) {
    // First click: ascending (newest first for dates); a second click on the same column flips it.
    const ascending = field === 'updatedAt' ? `-${field}` : field;
    const flipped = sort === ascending ? (ascending.startsWith('-') ? field : `-${field}`) : ascending;
    go({ sort: flipped, page: '' });
  }

  function sortHeader(field: SortField, label: MessageKey) {
    const active = sort.replace(/^-/, '') === field;
    const descending = sort.startsWith('-');
    return (
      <th scope="col" aria-sort={active ? (descending ? 'descending' : 'ascending') : undefined}>
        <button
          type="button"
          className="sort-button"
          onClick={() => onSort(field)}
          data-testid={`sort-${field}`}
        >
          {t(label)}
          <span aria-hidden="true">{active ? (descending ? ' ▼' : ' ▲') : ' ↕'}</span>
        </button>
      </th>
    );
  }

  const total = products.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const field = (name: FilterName, value: string) => setDraft({ ...draft, [name]: value });

  return (
    <section>
      <div className="page-head">
        <h1>{t('products.title')}</h1>
        <Link href="/products/new" className="button button-primary" data-testid="new-product">
          {t('products.new')}
        </Link>
      </div>
      <form className="filters" onSubmit={onSubmit} role="search">
        <label className="field">
          <span>{t('products.search')}</span>
          <input
            type="search"
            maxLength={100}
            value={draft.q}
            onChange={(event) => field('q', event.target.value)}
            data-testid="products-q"
          />
        </label>
        <label className="field">
          <span>{t('products.category')}</span>
          <select value={draft.categoryId} onChange={(event) => field('categoryId', event.target.value)}>
            <option value="">{t('products.any')}</option>
            {categories.data?.map((category) => (
              <option key={category.id} value={category.id}>
                {category.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('products.brand')}</span>
          <select value={draft.brand} onChange={(event) => field('brand', event.target.value)}>
            <option value="">{t('products.any')}</option>
            {brands.data?.map((brand) => (
              <option key={brand.brand} value={brand.brand}>
                {brand.brand} ({formatCount(brand.products)})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('products.status')}</span>
          <select
            value={draft.status || 'all'}
            onChange={(event) => field('status', event.target.value === 'all' ? '' : event.target.value)}
            data-testid="products-status"
          >
            <option value="all">{t('products.status.all')}</option>
            <option value="active">{t('products.status.active')}</option>
            <option value="deleted">{t('products.status.deleted')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('products.stock')}</span>
          <select value={draft.stock} onChange={(event) => field('stock', event.target.value)}>
            <option value="">{t('products.any')}</option>
            <option value="in">{t('products.stock.in')}</option>
            <option value="low">{t('products.stock.low')}</option>
            <option value="out">{t('products.stock.out')}</option>
          </select>
        </label>
        <button type="submit" className="button button-primary" disabled={products.loading}>
          {products.loading && <span className="spinner" aria-hidden="true" />}
          {t('common.search')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => navigate('/products')}>
          {t('common.reset')}
        </button>
      </form>
      <ErrorMessage error={products.error} />
      {products.data && (
        <p className="hint" data-testid="products-total">
          {t('products.total', { count: formatCount(total) })}
        </p>
      )}
      {products.data && products.data.items.length === 0 && <p>{t('products.empty')}</p>}
      {products.data && products.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="products-table">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t('products.image')}</span>
                </th>
                {sortHeader('name', 'products.name')}
                <th scope="col">{t('products.sku')}</th>
                <th scope="col">{t('products.brand')}</th>
                <th scope="col">{t('products.category')}</th>
                {sortHeader('price', 'products.price')}
                {sortHeader('stock', 'products.stock')}
                <th scope="col">{t('products.status')}</th>
                {sortHeader('updatedAt', 'products.updatedAt')}
              </tr>
            </thead>
            <tbody>
              {products.data.items.map((product) => (
                <tr key={product.id} data-testid={`product-row-${product.id}`}>
                  <td>
                    {product.primaryImageUrl ? (
                      <img className="thumb" src={product.primaryImageUrl} alt="" loading="lazy" />
                    ) : (
                      <span className="thumb thumb-empty" aria-hidden="true" />
                    )}
                  </td>
                  <th scope="row">
                    <Link href={`/products/${product.id}`}>{product.name}</Link>
                  </th>
                  <td>
                    <code>{product.sku}</code>
                  </td>
                  <td>{product.brand}</td>
                  <td>{product.categoryName}</td>
                  <td className="number">{formatWon(product.price)}</td>
                  <td className="number">{formatCount(product.stock)}</td>
                  <td>
                    <span className={`badge badge-${product.status}`}>
                      {t(`products.status.${product.status}`)}
                    </span>
                  </td>
                  <td>{formatDateTime(product.updatedAt, language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={page}
        hasNext={page < pages}
        onPrevious={() => go({ page: page > 2 ? String(page - 1) : '' })}
        onNext={() => go({ page: String(page + 1) })}
      />
    </section>
  );
}
