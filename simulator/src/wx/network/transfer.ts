import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deliver, failResult, okResult, optionsOf, WxFailure } from '../callback';
import { paramError } from '../context';
import type { WxPaths } from '../paths';
import { Listeners } from '../types';
import { type HttpCall, startHttpCall } from './http';
import { type NetEnv, parseUrl, timeoutOf, withDefaultHeaders } from './request';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.mp4': 'video/mp4',
  '.txt': 'text/plain',
  '.json': 'application/json',
};

const EXT_OF_MIME: Record<string, string> = Object.fromEntries(
  Object.entries(MIME).map(([ext, mime]) => [mime, ext]),
);

export function mimeOf(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function quote(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r|\n/g, ' ');
}

/** A multipart/form-data body: formData fields first, then the file, as WeChat sends it. */
export function multipartBody(
  fields: Record<string, unknown>,
  fileField: string,
  fileName: string,
  file: Buffer,
): { boundary: string; body: Buffer } {
  const boundary = `----WeChatFormBoundary${crypto.randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text =
      value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quote(key)}"\r\n\r\n${text}\r\n`,
      ),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${quote(fileField)}"; ` +
        `filename="${quote(fileName)}"\r\nContent-Type: ${mimeOf(fileName)}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { boundary, body: Buffer.concat(parts) };
}

type ProgressEvent = Record<string, number>;

function transferTask(env: NetEnv) {
  const progress = new Listeners<[ProgressEvent]>(env.ctx.onCallbackError);
  const headers = new Listeners<[Record<string, unknown>]>(env.ctx.onCallbackError);
  const state: { call?: HttpCall; aborted: boolean } = { aborted: false };
  const task = {
    abort() {
      state.aborted = true;
      state.call?.abort();
    },
    onProgressUpdate: (fn: unknown) => progress.add(fn),
    offProgressUpdate: (fn?: unknown) => progress.remove(fn),
    onHeadersReceived: (fn: unknown) => headers.add(fn),
    offHeadersReceived: (fn?: unknown) => headers.remove(fn),
  };
  return { task, progress, headers, state };
}

function runTask(
  env: NetEnv,
  api: string,
  arg: unknown,
  work: (options: Record<string, unknown>) => Promise<object>,
): void {
  let options: Record<string, unknown> = {};
  void Promise.resolve()
    .then(() => {
      options = optionsOf(arg);
      return work(options);
    })
    .then(
      (payload) => deliver(options, true, okResult(api, payload), env.ctx.onCallbackError),
      (error: unknown) => deliver(options, false, failResult(api, error), env.ctx.onCallbackError),
    );
}

async function track<T>(env: NetEnv, call: HttpCall, done: Promise<T>): Promise<T> {
  env.inflight.add(call);
  try {
    return await done;
  } finally {
    env.inflight.delete(call);
  }
}

/** wx.uploadFile: the file at filePath (temp, user or package file) as real multipart. */
export function createUploadFile(env: NetEnv, paths: WxPaths) {
  return (arg?: unknown) => {
    const { task, progress, headers, state } = transferTask(env);
    runTask(env, 'uploadFile', arg, async (options) => {
      const url = parseUrl(options.url, ['http:', 'https:']);
      if (typeof options.name !== 'string') {
        throw new WxFailure(paramError('name', 'String', options.name));
      }
      const file = paths.resolve(options.filePath);
      let bytes: Buffer;
      try {
        bytes = await fs.promises.readFile(file.real);
      } catch {
        throw new WxFailure(`file not found: ${String(options.filePath)}`);
      }
      const fields = (
        options.formData && typeof options.formData === 'object' ? options.formData : {}
      ) as Record<string, unknown>;
      const { boundary, body } = multipartBody(
        fields,
        options.name,
        path.basename(file.real),
        bytes,
      );
      const call = startHttpCall(env.network, env.limiter, {
        url,
        method: 'POST',
        headers: {
          ...withDefaultHeaders(env, options.header),
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
        },
        body,
        timeoutMs: timeoutOf(env, options.timeout, 'uploadFile'),
        onUploadProgress: (sent, total) =>
          progress.emit({
            progress: Math.round((sent / total) * 100),
            totalBytesSent: sent,
            totalBytesExpectedToSend: total,
          }),
        onHeaders: (statusCode, header) => headers.emit({ header, statusCode }),
      });
      state.call = call;
      if (state.aborted) call.abort();
      const res = await track(env, call, call.done);
      return { data: res.body.toString('utf8'), statusCode: res.statusCode, header: res.header };
    });
    return task;
  };
}

function extensionFor(url: URL, contentType: string | undefined): string {
  const fromUrl = path.extname(url.pathname);
  if (/^\.[a-z0-9]{1,5}$/i.test(fromUrl)) return fromUrl;
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return EXT_OF_MIME[mime] ?? '';
}

/** wx.downloadFile: streams the body into a new temp file (or `filePath` when given). */
export function createDownloadFile(env: NetEnv, paths: WxPaths) {
  return (arg?: unknown) => {
    const { task, progress, headers, state } = transferTask(env);
    runTask(env, 'downloadFile', arg, async (options) => {
      const url = parseUrl(options.url, ['http:', 'https:']);
      const target = options.filePath === undefined ? undefined : paths.resolve(options.filePath);
      if (target && target.kind !== 'usr') {
        throw new WxFailure(`permission denied, open ${String(options.filePath)}`);
      }
      const call = startHttpCall(env.network, env.limiter, {
        url,
        method: 'GET',
        headers: withDefaultHeaders(env, options.header),
        body: null,
        timeoutMs: timeoutOf(env, options.timeout, 'downloadFile'),
        onHeaders: (statusCode, header) => headers.emit({ header, statusCode }),
        onChunk: (_chunk, received, expected) =>
          progress.emit({
            progress: expected > 0 ? Math.round((received / expected) * 100) : 0,
            totalBytesWritten: received,
            totalBytesExpectedToWrite: expected > 0 ? expected : 0,
          }),
      });
      state.call = call;
      if (state.aborted) call.abort();
      const res = await track(env, call, call.done);
      const contentType = Object.entries(res.header).find(
        ([k]) => k.toLowerCase() === 'content-type',
      )?.[1];
      if (target) {
        await fs.promises.mkdir(path.dirname(target.real), { recursive: true });
        await fs.promises.writeFile(target.real, res.body);
        return { filePath: target.wxPath, statusCode: res.statusCode, header: res.header };
      }
      const temp = paths.newTemp(extensionFor(url, contentType));
      await fs.promises.writeFile(temp.real, res.body);
      return { tempFilePath: temp.wxPath, statusCode: res.statusCode, header: res.header };
    });
    return task;
  };
}

/** GETs a URL's bytes under the same phone rules (slots, latency, offline); non-2xx fails. */
export async function fetchBytes(env: NetEnv, url: URL): Promise<Buffer> {
  const call = startHttpCall(env.network, env.limiter, {
    url,
    method: 'GET',
    headers: withDefaultHeaders(env, {}),
    body: null,
    timeoutMs: timeoutOf(env, undefined, 'downloadFile'),
  });
  const res = await track(env, call, call.done);
  if (res.statusCode < 200 || res.statusCode >= 300) {
    throw new WxFailure(`download image fail, statusCode ${res.statusCode}`);
  }
  return res.body;
}
