import { Link } from 'wouter';
import { api } from '../../api/client';
import { useApiData } from '../../api/use-api';
import { formatCount, formatDateTime, formatWon } from '../../components/format';
import { useListQuery } from '../../components/list-query';
import { FilterField, FilterForm, ResultTable, SearchField } from '../../components/list-view';
import { Pager } from '../../components/pager';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { loadBrands, loadCategories } from './catalogue-lookups';
import type { ProductList } from './types';
import './products.css';

/** Every filter lives in the URL (/admin/products?q=…&sort=…), so a reload or a shared link keeps it. */
const FILTERS = ['q', 'categoryId', 'brand', 'status', 'stock', 'sort', 'page'] as const;

const DEFAULT_SORT = '-updatedAt';
const PAGE_SIZE = 25;
type SortField = 'name' | 'price' | 'stock' | 'updatedAt';

/** Products: search, filters, sortable columns, pages. */
export default function ProductListPage() {
  const { t, language } = useI18n();
  const list = useListQuery(FILTERS, { path: '/products' });
  const { filters, draft, setDraft } = list;
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
    list.key,
  );

  function onSort(field: SortField) {
    // First click: ascending (newest first for dates); a second click on the same column flips it.
    const ascending = field === 'updatedAt' ? `-${field}` : field;
    const flipped = sort === ascending ? (ascending.startsWith('-') ? field : `-${field}`) : ascending;
    list.update({ sort: flipped, page: '' });
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

  return (
    <section>
      <div className="page-head">
        <h1>{t('products.title')}</h1>
        <Link href="/products/new" className="button button-primary" data-testid="new-product">
          {t('products.new')}
        </Link>
      </div>
      <FilterForm loading={products.loading} onSubmit={() => list.submit({ page: '' })} onReset={list.reset}>
        <SearchField
          label={t('products.search')}
          value={draft.q}
          onChange={(value) => setDraft('q', value)}
          testId="products-q"
        />
        <FilterField label={t('products.category')}>
          <select value={draft.categoryId} onChange={(event) => setDraft('categoryId', event.target.value)}>
            <option value="">{t('products.any')}</option>
            {categories.data?.map((category) => (
              <option key={category.id} value={category.id}>
                {category.label}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField label={t('products.brand')}>
          <select value={draft.brand} onChange={(event) => setDraft('brand', event.target.value)}>
            <option value="">{t('products.any')}</option>
            {brands.data?.map((brand) => (
              <option key={brand.brand} value={brand.brand}>
                {brand.brand} ({formatCount(brand.products)})
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField label={t('products.status')}>
          <select
            value={draft.status || 'all'}
            onChange={(event) => setDraft('status', event.target.value === 'all' ? '' : event.target.value)}
            data-testid="products-status"
          >
            <option value="all">{t('products.status.all')}</option>
            <option value="active">{t('products.status.active')}</option>
            <option value="deleted">{t('products.status.deleted')}</option>
          </select>
        </FilterField>
        <FilterField label={t('products.stock')}>
          <select value={draft.stock} onChange={(event) => setDraft('stock', event.target.value)}>
            <option value="">{t('products.any')}</option>
            <option value="in">{t('products.stock.in')}</option>
            <option value="low">{t('products.stock.low')}</option>
            <option value="out">{t('products.stock.out')}</option>
          </select>
        </FilterField>
      </FilterForm>
      <ResultTable
        result={products}
        empty={t('products.empty')}
        testId="products-table"
        summary={
          <p className="hint" data-testid="products-total">
            {t('products.total', { count: formatCount(total) })}
          </p>
        }
        head={
          <>
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
          </>
        }
        row={(product) => (
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
        )}
      />
      <Pager
        page={page}
        hasNext={page < pages}
        onPrevious={() => list.update({ page: page > 2 ? String(page - 1) : '' })}
        onNext={() => list.update({ page: String(page + 1) })}
      />
    </section>
  );
}
