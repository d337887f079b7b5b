import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core';
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { BusyButton } from '../../components/busy-button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { useI18n } from '../../i18n/i18n';
import { checkImageUrl, MAX_IMAGES_PER_PRODUCT } from './product-rules';
import type { ProductImage } from './types';

/** Gallery order: by position (the detail lists the primary first; the order editor shows the real order). */
export function byPosition(images: ProductImage[]): ProductImage[] {
  return [...images].sort((a, b) => a.position - b.position || a.id - b.id);
}

function SortableImage({
  image,
  index,
  busy,
  onPrimary,
  onRemove,
}: {
  image: ProductImage;
  index: number;
  busy: boolean;
  onPrimary(): void;
  onRemove(): void;
}) {
  const { t } = useI18n();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } =
    useSortable({ id: image.id });
  return (
    <li
      ref={setNodeRef}
      className={`image-row${isDragging ? ' dragging' : ''}`}
      // dnd-kit moves rows with a transform; a CSSOM property, not an inline style attribute (CSP-safe).
      style={{ transform: CSS.Transform.toString(transform), transition }}
      data-testid="image-row"
      data-image-id={image.id}
    >
      <button
        type="button"
        ref={setActivatorNodeRef}
        className="drag-handle"
        aria-label={t('products.dragImage', { position: index + 1 })}
        {...attributes}
        {...listeners}
        data-testid={`drag-${image.id}`}
      >
        ⠿
      </button>
      <img className="thumb thumb-large" src={image.url} alt="" />
      <span className="image-url" title={image.url}>
        {image.url}
      </span>
      {image.isPrimary ? (
        <span className="badge badge-active" data-testid="primary-badge">
          {t('products.primary')}
        </span>
      ) : (
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={onPrimary}
          data-testid={`primary-${image.id}`}
        >
          {t('products.makePrimary')}
        </button>
      )}
      <button
        type="button"
        className="button button-danger"
        disabled={busy}
        onClick={onRemove}
        data-testid={`remove-image-${image.id}`}
      >
        {t('products.removeImage')}
      </button>
    </li>
  );
}

/**
 * The product's images: add by URL, reorder by drag and drop (mouse, touch, or keyboard: focus the handle,
 * Space, arrows, Space) → PUT …/images/order, choose the primary, remove after a confirmation.
 */
export function ProductImages({
  productId,
  images,
  onImages,
}: {
  productId: number;
  images: ProductImage[];
  onImages(images: ProductImage[]): void;
}) {
  const { t } = useI18n();
  const ordered = byPosition(images);
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [removing, setRemoving] = useState<ProductImage | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const base = `/api/admin/products/${productId}/images`;

  async function run(action: () => Promise<{ images: ProductImage[] }>, undo?: () => void) {
    setBusy(true);
    setError(undefined);
    try {
      onImages((await action()).images);
      return true;
    } catch (caught) {
      undo?.();
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function onAdd(event: FormEvent) {
    event.preventDefault();
    const problem = checkImageUrl(url);
    setUrlError(problem);
    if (problem) return;
    if (await run(() => api('POST', base, { body: { url: url.trim() } }))) setUrl('');
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over || active.id === over.id) return;
    const from = ordered.findIndex((image) => image.id === active.id);
    const to = ordered.findIndex((image) => image.id === over.id);
    const moved = arrayMove(ordered, from, to).map((image, position) => ({ ...image, position }));
    const previous = images;
    onImages(moved); // at once; put back if the API refuses
    void run(
      () => api('PUT', `${base}/order`, { body: { imageIds: moved.map((image) => image.id) } }),
      () => onImages(previous),
    );
  }

  return (
    <section className="panel" aria-labelledby="images-heading">
      <h2 id="images-heading">{t('products.images')}</h2>
      {ordered.length === 0 && <p>{t('products.noImages')}</p>}
      {ordered.length > 1 && <p className="hint">{t('products.reorderHint')}</p>}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={ordered.map((image) => image.id)} strategy={verticalListSortingStrategy}>
          <ol className="image-list" data-testid="image-list">
            {ordered.map((image, index) => (
              <SortableImage
                key={image.id}
                image={image}
                index={index}
                busy={busy}
                onPrimary={() => void run(() => api('POST', `${base}/${image.id}/primary`))}
                onRemove={() => setRemoving(image)}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      <ErrorMessage error={error} />
      <form className="filters" onSubmit={onAdd}>
        <div className={`field${urlError ? ' field-invalid' : ''}`}>
          <label htmlFor="new-image-url">{t('products.imageUrl')}</label>
          <input
            id="new-image-url"
            type="url"
            placeholder="https://…"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            aria-invalid={urlError ? true : undefined}
            aria-describedby={urlError ? 'new-image-url-error' : undefined}
            data-testid="new-image-url"
          />
          {urlError && (
            <span className="field-error" id="new-image-url-error" role="alert">
              {urlError}
            </span>
          )}
        </div>
        <BusyButton type="submit" busy={busy} disabled={ordered.length >= MAX_IMAGES_PER_PRODUCT}>
          {t('products.addImage')}
        </BusyButton>
      </form>
      <ConfirmDialog
        open={removing !== null}
        title={t('products.removeImage')}
        confirmLabel={t('products.removeImage')}
        danger
        busy={busy}
        onCancel={() => setRemoving(null)}
        onConfirm={async () => {
          if (removing) await run(() => api('DELETE', `${base}/${removing.id}`));
          setRemoving(null);
        }}
      >
        <p>{t('products.confirmRemoveImage')}</p>
        {removing && <p className="image-url">{removing.url}</p>}
      </ConfirmDialog>
    </section>
  );
}
