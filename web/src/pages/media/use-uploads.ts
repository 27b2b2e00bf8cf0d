import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { sendForm } from '../../api/upload';
import type { Media } from './media-text';

export interface Upload {
  key: number;
  name: string;
  bytes: number;
  percent: number;
  state: 'uploading' | 'uploaded' | 'failed' | 'cancelled';
  error?: unknown;
}

/** The list of media the server knows; refetched once an upload lands so the new item shows at once. */
export const MEDIA_LIST_KEY = ['get', '/api/v1/media'];

/**
 * Files this page is sending, each with its own progress, kept after they
 * finish so the operator sees what happened to every one (and can cancel one
 * still on its way).
 */
export function useUploads() {
  const queries = useQueryClient();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const controllers = useRef(new Map<number, AbortController>());
  const nextKey = useRef(0);

  const update = useCallback((key: number, change: Partial<Upload>) => {
    setUploads((all) => all.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));
  }, []);

  const start = useCallback(
    (file: File, title?: string) => {
      const key = ++nextKey.current;
      const controller = new AbortController();
      controllers.current.set(key, controller);
      setUploads((all) => [{ key, name: file.name, bytes: file.size, percent: 0, state: 'uploading' }, ...all]);
      const form = new FormData();
      if (title) form.append('title', title);
      // The file goes last: the server reads parts in order, so a bad title is refused before the file is stored.
      form.append('file', file, file.name);
      sendForm<Media>('/api/v1/media', form, {
        signal: controller.signal,
        onProgress: ({ percent }) => update(key, { percent }),
      })
        .then(() => {
          update(key, { state: 'uploaded', percent: 100 });
          return queries.invalidateQueries({ queryKey: MEDIA_LIST_KEY });
        })
        .catch((error: unknown) => {
          const cancelled = error instanceof DOMException && error.name === 'AbortError';
          update(key, cancelled ? { state: 'cancelled' } : { state: 'failed', error });
        })
        .finally(() => controllers.current.delete(key));
    },
    [queries, update],
  );

  const cancel = useCallback((key: number) => controllers.current.get(key)?.abort(), []);
  const dismiss = useCallback((key: number) => setUploads((all) => all.filter((upload) => upload.key !== key)), []);

  return { uploads, start, cancel, dismiss };
}
