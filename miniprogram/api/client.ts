/**
 * The http client every endpoint function uses. app.ts sets it once at launch; tests set a fake.
 */
import type { ApiHttp } from '../services/ports';

let client: ApiHttp | undefined;

export function setApiHttp(http: ApiHttp): void {
  client = http;
}

export function apiHttp(): ApiHttp {
  if (!client) throw new Error('api: no http client yet (app.ts sets it in onLaunch)');
  return client;
}
