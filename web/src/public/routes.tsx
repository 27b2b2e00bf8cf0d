import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface PublicRoute {
  /** Under /v/ (the prefix printed on the village posters and the session and rating QR codes). */
  path: string;
  page: LazyExoticComponent<ComponentType>;
}

/**
 * The pages villagers and volunteers open from a QR code on their phones,
 * with no account: no sign-in, no navigation, and nothing they send is
 * trusted (the server checks and rate-limits every request).
 */
export const PUBLIC_PAGES: PublicRoute[] = [
  { path: 'village/:code', page: lazy(() => import('./village/VillagePage')) },
  { path: 'rate/:token', page: lazy(() => import('./rate/RatePage')) },
  // Volunteers: registration from the village poster, signing in at a session by its QR code, their own card.
  { path: 'village/:code/volunteer', page: lazy(() => import('./volunteers/RegisterPage')) },
  { path: 'session/:id', page: lazy(() => import('./volunteers/SessionPage')) },
  { path: 'me', page: lazy(() => import('./volunteers/MePage')) },
];
