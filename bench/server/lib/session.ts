import os from 'node:os';

/** Logs in through the development provider (`dev-<user>-<nonce>`) and returns the token. */
export async function devLogin(api: string, userKey: string): Promise<string> {
  const res = await fetch(`${api}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `dev-${userKey}-1` }),
  });
  if (!res.ok) throw new Error(`login ${userKey} failed: HTTP ${res.status}`);
  return ((await res.json()) as { data: { token: string } }).data.token;
}

/** The machine's 1/5/15-minute load averages, printed beside figures other jobs can move. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
