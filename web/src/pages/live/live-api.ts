import type { components, operations } from '../../api/schema.gen';

export type LiveSession = components['schemas']['LiveSession'];
export type LiveStart = operations['LiveController_start']['requestBody']['content']['application/json'];
