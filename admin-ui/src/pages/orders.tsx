import { useI18n } from '../i18n/i18n';

/** Placeholder: the order list and the order timeline come here. */
export default function OrdersPage() {
  const { t } = useI18n();
  return <h1>{t('orders.title')}</h1>;
}
