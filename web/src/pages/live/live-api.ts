import type { Client } from 'openapi-fetch';
import createQueryHooks from 'openapi-react-query';
import { api } from '../../api/client';
import type { ErrorBody } from '../../api/errors';

// PROVISIONAL: the live-sessions routes as the contract states them, until the server's module lands
// and `npm run build` generates them into schema.gen.ts; then these types go and `$api` is used directly.
export interface LiveSession {
  id: string;
  title: string;
  regionCodes: string[];
  priority: 'normal' | 'urgent';
  status: 'starting' | 'live' | 'ended';
  startedBy: { id: string; username: string };
  createdAt: string;
  liveAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  durationMs: number | null;
  recordingMediaId: string | null;
  lectureSessionId: string | null;
  receipts: { played: number; interrupted: number; failed: number };
}

export interface LiveStart {
  title: string;
  regionCodes: string[];
  priority: 'normal' | 'urgent';
  lectureSessionId?: string;
}

type Json<T> = { content: { 'application/json': T } };
interface LivePaths {
  '/api/v1/live-sessions': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: { status?: LiveSession['status'] } };
      responses: { 200: Json<{ items: LiveSession[] }>; 400: Json<ErrorBody> };
    };
    post: {
      parameters: { query?: never };
      requestBody: Json<LiveStart>;
      responses: { 201: Json<{ session: LiveSession; ingestUrl: string }>; 409: Json<ErrorBody> };
    };
  };
  '/api/v1/live-sessions/{id}': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: { parameters: { path: { id: string } }; responses: { 200: Json<LiveSession>; 404: Json<ErrorBody> } };
  };
  '/api/v1/live-sessions/{id}/end': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: { parameters: { path: { id: string } }; responses: { 200: Json<LiveSession>; 409: Json<ErrorBody> } };
  };
}

export const liveApi = api as unknown as Client<LivePaths>;
export const $live = createQueryHooks(liveApi);
