import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  type Harness,
  makeWx,
  onceEvent,
  settle,
  type Task,
  viaCallbacks,
  waitFor,
} from './fixtures/wx/harness';

let wss: WebSocketServer;
let url: string;
let h: Harness;
const peers: Array<{
  ws: WebSocket;
  req: IncomingMessage;
  messages: Array<{ data: Buffer; binary: boolean }>;
}> = [];
let onPeer: ((i: number) => void) | undefined;

beforeAll(async () => {
  wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    handleProtocols: (protocols) => (protocols.has('chat.v1') ? 'chat.v1' : false),
  });
  wss.on('connection', (ws, req) => {
    const peer = { ws, req, messages: [] as Array<{ data: Buffer; binary: boolean }> };
    ws.on('message', (data: Buffer, binary) => {
      peer.messages.push({ data, binary });
      if (data.toString() === 'echo-binary') ws.send(Buffer.from([1, 2, 3]));
      else if (!binary) ws.send(`echo:${data.toString()}`);
    });
    peers.push(peer);
    onPeer?.(peers.length - 1);
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/chat`;
});

afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise((resolve) => wss.close(resolve));
});

beforeEach(() => {
  peers.length = 0;
  h = makeWx();
});

afterEach(() => h.close());

function connect(options: Record<string, unknown> = {}) {
  const { returned, settled } = viaCallbacks(h.wx.connectSocket, { url, ...options });
  return { task: returned as Task, settled };
}

describe('wx.connectSocket / SocketTask', () => {
  test('opens with headers and protocols, exchanges text and binary, closes with code and reason', async () => {
    const { task, settled } = connect({ header: { 'X-Token': 'tk' }, protocols: ['chat.v1'] });
    expect((await settled).res.errMsg).toBe('connectSocket:ok');
    const opened = await onceEvent<{ header: Record<string, string> }>(task.onOpen);
    expect(opened.header['sec-websocket-protocol']).toBe('chat.v1');
    expect(task.readyState).toBe(1);
    expect(peers[0].req.headers['x-token']).toBe('tk');

    const messages: unknown[] = [];
    task.onMessage((e: { data: unknown }) => messages.push(e.data));
    const sent = await settle(task.send, { data: 'hi' });
    expect(sent.res.errMsg).toBe('sendSocketMessage:ok');
    await settle(task.send, { data: new Uint8Array([9, 8]).buffer });
    await settle(task.send, { data: 'echo-binary' });
    await waitFor(() => messages.length >= 2);
    expect(messages[0]).toBe('echo:hi');
    const binary = messages.find((m) => m instanceof ArrayBuffer) as ArrayBuffer;
    expect([...new Uint8Array(binary)]).toEqual([1, 2, 3]);
    expect(peers[0].messages[1]).toEqual({ data: Buffer.from([9, 8]), binary: true });

    const serverClosed = new Promise<{ code: number; reason: string }>((resolve) =>
      peers[0].ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    const closed = onceEvent<{ code: number; reason: string }>(task.onClose);
    const closing = await settle(task.close, { code: 4001, reason: 'bye' });
    expect(closing.res.errMsg).toBe('closeSocket:ok');
    expect(await serverClosed).toEqual({ code: 4001, reason: 'bye' });
    expect(await closed).toEqual({ code: 4001, reason: 'bye' });
    expect(task.readyState).toBe(3);
  });

  test('a server-side close reaches onClose; send after close fails', async () => {
    const { task } = connect();
    await onceEvent(task.onOpen);
    const closed = onceEvent<{ code: number }>(task.onClose);
    peers[0].ws.close(4100, 'kicked');
    expect(await closed).toEqual({ code: 4100, reason: 'kicked' });
    const send = await settle(task.send, { data: 'late' });
    expect(send.res.errMsg).toBe('sendSocketMessage:fail SocketTask.readyState is not OPEN');
  });

  test('an invalid close code fails and keeps the socket open', async () => {
    const { task } = connect();
    await onceEvent(task.onOpen);
    const bad = await settle(task.close, { code: 1001 });
    expect(bad.ok).toBe(false);
    expect(bad.res.errMsg).toMatch(/^closeSocket:fail The code must be either 1000/);
    expect(task.readyState).toBe(1);
  });

  test('a refused connection reports onError then onClose', async () => {
    const refused = viaCallbacks(h.wx.connectSocket, { url: 'ws://127.0.0.1:1/' });
    const task = refused.returned as Task;
    const error = onceEvent<{ errMsg: string }>(task.onError);
    const closed = onceEvent<{ code: number }>(task.onClose);
    expect((await error).errMsg).toBe('net::ERR_CONNECTION_REFUSED');
    expect((await closed).code).toBe(1006);
  });

  test('at most 5 sockets: the 6th fails; closing one frees a slot', async () => {
    const tasks = Array.from({ length: 5 }, () => connect().task);
    await Promise.all(tasks.map((t) => onceEvent(t.onOpen)));
    const sixth = await connect().settled;
    expect(sixth.ok).toBe(false);
    expect(sixth.res.errMsg).toBe('connectSocket:fail exceed max task count');
    const closed = onceEvent(tasks[0].onClose);
    await settle(tasks[0].close, {});
    await closed;
    const again = connect();
    expect((await again.settled).res.errMsg).toBe('connectSocket:ok');
    await onceEvent(again.task.onOpen);
  });

  test('going offline closes open sockets (onError, onClose) and refuses new ones', async () => {
    const { task } = connect();
    await onceEvent(task.onOpen);
    const error = onceEvent<{ errMsg: string }>(task.onError);
    const closed = onceEvent<{ code: number }>(task.onClose);
    h.instance.controls.setNetwork({ online: false });
    expect((await error).errMsg).toBe('net::ERR_INTERNET_DISCONNECTED');
    expect((await closed).code).toBe(1006);
    const fresh = await connect().settled;
    expect(fresh.res.errMsg).toBe('connectSocket:fail net::ERR_INTERNET_DISCONNECTED');
  });

  test('dispose() closes every socket so nothing leaks', async () => {
    const { task } = connect();
    await onceEvent(task.onOpen);
    const serverClosed = new Promise((resolve) => peers[0].ws.on('close', resolve));
    const closed = onceEvent(task.onClose);
    h.instance.dispose();
    await closed;
    await serverClosed;
  });
});

describe('legacy wx.onSocket* forms', () => {
  test('onSocketOpen/onSocketMessage/sendSocketMessage/closeSocket/onSocketClose', async () => {
    const opened = onceEvent(h.wx.onSocketOpen);
    h.wx.connectSocket({ url });
    await opened;
    const message = onceEvent<{ data: string }>(h.wx.onSocketMessage);
    const sent = await settle(h.wx.sendSocketMessage, { data: 'legacy' });
    expect(sent.res.errMsg).toBe('sendSocketMessage:ok');
    expect((await message).data).toBe('echo:legacy');
    const closed = onceEvent<{ code: number }>(h.wx.onSocketClose);
    await settle(h.wx.closeSocket, {});
    expect((await closed).code).toBe(1000);
    const after = await settle(h.wx.sendSocketMessage, { data: 'x' });
    expect(after.res.errMsg).toBe('sendSocketMessage:fail WebSocket is not connected');
    const noSocket = await settle(h.wx.closeSocket, {});
    expect(noSocket.res.errMsg).toBe('closeSocket:fail WebSocket is not connected');
  });

  test('before any connectSocket the legacy send fails', async () => {
    const { res } = await settle(h.wx.sendSocketMessage, { data: 'x' });
    expect(res.errMsg).toBe('sendSocketMessage:fail WebSocket is not connected');
  });
});
