import WebSocket from 'ws';
import { deliver, failResult, okResult, optionsOf, WxFailure } from '../callback';
import type { WxContext } from '../context';
import type { WxFunction } from '../types';
import { Listeners } from '../types';
import { bytesOf, isArrayBufferLike, toArrayBuffer } from './body';
import { type NetEnv, parseUrl, timeoutOf, withDefaultHeaders } from './request';
import { netErrorReason } from './state';

/** WeChat allows 5 open sockets (base library >= 1.7.0). */
export const MAX_SOCKETS = 5;
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

type Payload = Record<string, unknown>;

interface LegacyListeners {
  open: Listeners<[Payload]>;
  message: Listeners<[Payload]>;
  error: Listeners<[Payload]>;
  close: Listeners<[Payload]>;
}

/**
 * Runs a socket method then its callbacks. Socket methods are not promisified in WeChat, so without
 * callbacks a failure is silent (returning a rejecting Promise would be an unhandled rejection).
 */
function taskCall(ctx: WxContext, api: string, arg: unknown, work: (o: Payload) => void): void {
  let options: Payload = {};
  let outcome: { ok: boolean; result: Payload };
  try {
    options = optionsOf(arg);
    work(options);
    outcome = { ok: true, result: okResult(api) };
  } catch (error) {
    outcome = { ok: false, result: failResult(api, error) };
  }
  void Promise.resolve().then(() =>
    deliver(options, outcome.ok, outcome.result, ctx.onCallbackError),
  );
}

export interface SocketApis {
  apis: Record<string, WxFunction>;
  openCount(): number;
}

export function createSocketApis(env: NetEnv): SocketApis {
  const { ctx, network } = env;
  const AppArrayBuffer = ctx.host.realm?.ArrayBuffer;
  const open = new Set<SocketTaskImpl>();
  const legacy: LegacyListeners = {
    open: new Listeners(ctx.onCallbackError),
    message: new Listeners(ctx.onCallbackError),
    error: new Listeners(ctx.onCallbackError),
    close: new Listeners(ctx.onCallbackError),
  };
  let current: SocketTaskImpl | undefined;

  class SocketTaskImpl {
    readyState = CONNECTING;
    private ws: WebSocket | undefined;
    private readonly onOpenL = new Listeners<[Payload]>(ctx.onCallbackError);
    private readonly onMessageL = new Listeners<[Payload]>(ctx.onCallbackError);
    private readonly onErrorL = new Listeners<[Payload]>(ctx.onCallbackError);
    private readonly onCloseL = new Listeners<[Payload]>(ctx.onCallbackError);
    private untrack: (() => void) | undefined;
    private closedEmitted = false;
    private handshakeHeader: Payload = {};
    readonly CONNECTING = CONNECTING;
    readonly OPEN = OPEN;
    readonly CLOSING = CLOSING;
    readonly CLOSED = CLOSED;

    onOpen = (fn: unknown) => this.onOpenL.add(fn);
    onMessage = (fn: unknown) => this.onMessageL.add(fn);
    onError = (fn: unknown) => this.onErrorL.add(fn);
    onClose = (fn: unknown) => this.onCloseL.add(fn);

    send = (arg?: unknown) =>
      taskCall(ctx, 'sendSocketMessage', arg, (options) =>
        this.sendData(options.data, 'SocketTask.send'),
      );

    close = (arg?: unknown) =>
      taskCall(ctx, 'closeSocket', arg, (options) => this.closeWith(options.code, options.reason));

    start(url: URL, options: Payload): void {
      open.add(this);
      this.untrack = network.track({
        interrupt: (reason) => this.fail(reason, 1006, 'abnormal closure'),
      });
      const protocols = Array.isArray(options.protocols)
        ? options.protocols.filter((p): p is string => typeof p === 'string')
        : undefined;
      void network.delay().then(() => {
        if (this.readyState !== CONNECTING) return;
        const blocked = network.blockedReason();
        if (blocked) {
          this.fail(blocked, 1006, 'abnormal closure');
          return;
        }
        const ws = new WebSocket(url, protocols, {
          headers: withDefaultHeaders(env, options.header),
          perMessageDeflate: options.perMessageDeflate === true,
          handshakeTimeout: timeoutOf(env, options.timeout, 'connectSocket'),
        });
        this.ws = ws;
        ws.binaryType = 'nodebuffer';
        ws.on('upgrade', (res) => {
          this.handshakeHeader = { ...res.headers } as Payload;
        });
        ws.on('open', () => {
          if (this.readyState !== CONNECTING) return;
          this.readyState = OPEN;
          const event = { header: this.handshakeHeader, profile: {} };
          this.onOpenL.emit(event);
          if (current === this) legacy.open.emit(event);
        });
        ws.on('message', (data: Buffer, isBinary: boolean) => {
          if (this.readyState !== OPEN && this.readyState !== CLOSING) return;
          const event = {
            data: isBinary ? toArrayBuffer(data, AppArrayBuffer) : data.toString('utf8'),
          };
          this.onMessageL.emit(event);
          if (current === this) legacy.message.emit(event);
        });
        ws.on('error', (error) => this.fail(netErrorReason(error), 1006, 'abnormal closure'));
        ws.on('close', (code: number, reason: Buffer) =>
          this.closed(code, reason.toString('utf8')),
        );
      });
    }

    sendData(data: unknown, api: string): void {
      if (this.readyState !== OPEN || !this.ws) {
        throw new WxFailure(
          `${api === 'SocketTask.send' ? 'SocketTask.readyState is not OPEN' : 'WebSocket is not connected'}`,
        );
      }
      if (typeof data === 'string') this.ws.send(data);
      else if (isArrayBufferLike(data)) this.ws.send(bytesOf(data));
      else throw new WxFailure('parameter error: parameter.data should be String or ArrayBuffer');
    }

    closeWith(code: unknown, reason: unknown): void {
      const closeCode = code === undefined ? 1000 : Number(code);
      if (closeCode !== 1000 && !(closeCode >= 3000 && closeCode <= 4999)) {
        throw new WxFailure(
          `The code must be either 1000, or between 3000 and 4999. ${String(code)} is neither.`,
        );
      }
      const text = reason === undefined ? '' : String(reason);
      if (Buffer.byteLength(text) > 123)
        throw new WxFailure('The message must not be greater than 123 bytes.');
      if (this.readyState === CLOSED || this.readyState === CLOSING) return;
      if (!this.ws || this.readyState === CONNECTING) {
        this.ws?.terminate();
        this.closed(closeCode, text);
        return;
      }
      this.readyState = CLOSING;
      this.ws.close(closeCode, text);
    }

    /** An error: onError, then the socket is gone (onClose), as a phone reports it. */
    fail(reason: string, code: number, closeReason: string): void {
      if (this.readyState === CLOSED) return;
      const event = { errMsg: reason };
      this.onErrorL.emit(event);
      if (current === this) legacy.error.emit(event);
      this.ws?.terminate();
      this.closed(code, closeReason);
    }

    private closed(code: number, reason: string): void {
      this.readyState = CLOSED;
      open.delete(this);
      this.untrack?.();
      if (this.closedEmitted) return;
      this.closedEmitted = true;
      const event = { code, reason };
      this.onCloseL.emit(event);
      if (current === this) legacy.close.emit(event);
    }
  }

  const connectSocket: WxFunction = (arg?: unknown) => {
    const task = new SocketTaskImpl();
    let options: Payload = {};
    try {
      options = optionsOf(arg);
      const url = parseUrl(options.url, ['ws:', 'wss:']);
      if (open.size >= MAX_SOCKETS) throw new WxFailure('exceed max task count');
      const blocked = network.blockedReason();
      if (blocked) throw new WxFailure(blocked);
      current = task;
      task.start(url, options);
      void Promise.resolve().then(() =>
        deliver(options, true, okResult('connectSocket'), ctx.onCallbackError),
      );
    } catch (error) {
      task.readyState = CLOSED;
      const result = failResult('connectSocket', error);
      void Promise.resolve().then(() => deliver(options, false, result, ctx.onCallbackError));
    }
    return task;
  };

  const apis: Record<string, WxFunction> = {
    connectSocket,
    onSocketOpen: (fn) => legacy.open.add(fn),
    offSocketOpen: (fn) => legacy.open.remove(fn),
    onSocketMessage: (fn) => legacy.message.add(fn),
    offSocketMessage: (fn) => legacy.message.remove(fn),
    onSocketError: (fn) => legacy.error.add(fn),
    offSocketError: (fn) => legacy.error.remove(fn),
    onSocketClose: (fn) => legacy.close.add(fn),
    offSocketClose: (fn) => legacy.close.remove(fn),
    sendSocketMessage: (arg) =>
      taskCall(ctx, 'sendSocketMessage', arg, (options) => {
        if (!current) throw new WxFailure('WebSocket is not connected');
        current.sendData(options.data, 'sendSocketMessage');
      }),
    closeSocket: (arg) =>
      taskCall(ctx, 'closeSocket', arg, (options) => {
        if (!current || current.readyState === CLOSED) {
          throw new WxFailure('WebSocket is not connected');
        }
        current.closeWith(options.code, options.reason);
      }),
  };
  ctx.disposers.push(() => {
    for (const task of [...open]) task.fail('abort', 1006, 'abnormal closure');
  });
  return { apis, openCount: () => open.size };
}
