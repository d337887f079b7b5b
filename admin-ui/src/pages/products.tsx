import { useI18n } from '../i18n/i18n';

/** Placeholder: the product list, editor, images and stock ledger come here. */
export default function ProductsPage() {
  const { t } = useI18n();
  return <h1>{t('products.title')}</h1>;
}
