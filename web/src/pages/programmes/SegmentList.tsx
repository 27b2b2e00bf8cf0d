import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, HolderOutlined } from '@ant-design/icons';
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Button, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useMessages } from '../../i18n/i18n';
import { duration } from '../../time/county-time';
import { programmeMessages } from './messages';
import { dropSegment, type Segment, stepSegment } from './segments';

interface Props {
  segments: Segment[];
  onChange: (segments: Segment[]) => void;
}

/**
 * The programme's airing order. Dragging a handle reorders on a desk (and by
 * keyboard: space, arrows, space); the up and down buttons do the same for
 * anyone who cannot drag, on a phone too.
 */
export function SegmentList({ segments, onChange }: Props) {
  const t = useMessages(programmeMessages);
  const sensors = useSensors(
    // A few pixels of travel before a drag starts, so a tap on the handle stays a tap.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const announcements = useMemo<Announcements>(() => {
    const title = (id: UniqueIdentifier) => segments.find((segment) => segment.key === id)?.title ?? '';
    const place = (id: UniqueIdentifier | undefined) => segments.findIndex((segment) => segment.key === id) + 1;
    return {
      onDragStart: ({ active }) => t('dragStart', { from: place(active.id), title: title(active.id) }),
      onDragOver: ({ active, over }) => (over ? t('dragOver', { title: title(active.id), to: place(over.id) }) : ''),
      onDragEnd: ({ active, over }) => t('dragEnd', { title: title(active.id), to: place(over?.id ?? active.id) }),
      onDragCancel: ({ active }) => t('dragCancel', { title: title(active.id) }),
    };
  }, [segments, t]);

  if (!segments.length) return <Typography.Paragraph>{t('segmentsEmpty')}</Typography.Paragraph>;
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('segmentsHelp') } }}
      onDragEnd={({ active, over }) => {
        if (over && active.id !== over.id) onChange(dropSegment(segments, String(active.id), String(over.id)));
      }}
    >
      <SortableContext items={segments.map((segment) => segment.key)} strategy={verticalListSortingStrategy}>
        <ol aria-label={t('segmentsTitle')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {segments.map((segment, index) => (
            <SegmentRow
              key={segment.key}
              segment={segment}
              place={index + 1}
              first={index === 0}
              last={index === segments.length - 1}
              onStep={(step) => onChange(stepSegment(segments, segment.key, step))}
              onRemove={() => onChange(segments.filter((other) => other.key !== segment.key))}
            />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

interface RowProps {
  segment: Segment;
  place: number;
  first: boolean;
  last: boolean;
  onStep: (step: -1 | 1) => void;
  onRemove: () => void;
}

function SegmentRow({ segment, place, first, last, onStep, onRemove }: RowProps) {
  const t = useMessages(programmeMessages);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: segment.key,
  });
  const title = segment.title;
  return (
    <li
      ref={setNodeRef}
      style={{
        transform: CSS.Transform.toString(transform),
        transition,
        display: 'flex',
        alignItems: 'center',
        gap: 8,
        padding: '6px 0',
        borderBottom: '1px solid #f0f0f0',
        background: isDragging ? '#fafafa' : undefined,
        position: 'relative',
        zIndex: isDragging ? 1 : undefined,
      }}
    >
      <Button
        ref={setActivatorNodeRef}
        type="text"
        icon={<HolderOutlined />}
        aria-label={t('dragHandle', { title })}
        style={{ cursor: 'grab', touchAction: 'none' }}
        {...attributes}
        {...listeners}
      />
      <span style={{ minWidth: 20, textAlign: 'right' }}>{place}.</span>
      <Typography.Text ellipsis style={{ flex: 1, minWidth: 0 }}>
        {title}
      </Typography.Text>
      <span>{duration(segment.durationMs / 1000)}</span>
      <Space.Compact>
        <Button
          icon={<ArrowUpOutlined />}
          aria-label={t('moveUp', { title })}
          disabled={first}
          onClick={() => onStep(-1)}
        />
        <Button
          icon={<ArrowDownOutlined />}
          aria-label={t('moveDown', { title })}
          disabled={last}
          onClick={() => onStep(1)}
        />
        <Button icon={<DeleteOutlined />} aria-label={t('remove', { title })} onClick={onRemove} />
      </Space.Compact>
    </li>
  );
}
