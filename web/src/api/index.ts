// The one boundary between the console and the /v1 API (docs/console-api.md). Components import
// from here: `api` groups every call, and each area's module holds its shapes.
import { adminApi } from './admin.ts';
import { casesApi } from './cases.ts';
import { sessionApi } from './client.ts';
import { decisionsApi } from './decisions.ts';
import { ringsApi } from './rings.ts';

export * from './admin.ts';
export * from './cases.ts';
export { ApiError, errorMessage, queryString, setUnauthorizedHandler } from './client.ts';
export * from './common.ts';
export * from './decisions.ts';
export * from './rings.ts';

export const api = { ...sessionApi, ...casesApi, ...ringsApi, admin: adminApi, decisions: decisionsApi };
