/// <reference types="miniprogram-api-typings" />
/**
 * Chat delivery across connection drops, on the fake wx with a scripted server peer that acks
 * and de-duplicates by clientId like the real server.
 *
 * 1,000 outgoing messages and 200 incoming ones, across 20 random drops (server close, half-open
 * socket caught by the heartbeat, network loss, app hide/show, auth refusal 4401). Goal: every
 * message sent → applied exactly once on the server, acked exactly once, and every room message
 * shown exactly once. A naive client (send only while open, no outbox, no sync, no dedupe) runs
 * the same script side by side for comparison.
 */
import { ChatSocket } from '../../miniprogram/utils/socket';
import { SocketSlotRegistry } from '../../miniprogram/utils/socket-slots';
import { ConnectivityStore } from '../../miniprogram/utils/network';
import type { NetworkWx, SocketWx, SocketTaskLike } from '../../miniprogram/utils/wx-ports';
import { wxStorage } from '../../miniprogram/utils/wx-ports';
import { createFakeWx } from '../../test/unit/fake-wx';
import { createSocketFamily } from '../../test/unit/fake-wx/socket';
import { createFakeSession } from '../../test/unit/realtime/helpers';

const OUTGOING = 1000;
const INCOMING = 200;
const DROPS = 20;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

type DropKind = 'close' | 'half-open' | 'offline' | 'hide' | 'auth' | 'ack-loss';
const KINDS: DropKind[] = ['close', 'half-open', 'offline', 'hide', 'auth', 'ack-loss'];

function environment() {
  const fake = createFakeWx();
  const sockets = fake.extend('sockets', createSocketFamily(fake.context));
  const connectivity = new ConnectivityStore({ wx: fake.wx as unknown as NetworkWx });
  connectivity.start();
  const session = createFakeSession();
  return { fake, sockets, connectivity, session };
}

type Env = ReturnType<typeof environment>;

async function drop(env: Env, kind: DropKind, random: () => number): Promise<void> {
  const conn = env.sockets.current;
  switch (kind) {
    case 'close':
      conn?.drop(1006);
      break;
    case 'half-open':
      conn?.halfOpen();
      break;
    case 'offline':
      env.fake.network.set('none');
      await sleep(5 + Math.floor(random() * 15));
      env.fake.network.set('wifi');
      break;
    case 'hide':
      env.sockets.hide();
      await sleep(5 + Math.floor(random() * 15));
      env.sockets.show();
      break;
    case 'ack-loss':
      // The server applies messages but its acks and echoes never arrive, then the socket dies.
      env.sockets.server.ackSends = false;
      env.sockets.server.echoToSender = false;
      await sleep(5 + Math.floor(random() * 10));
      conn?.drop(1006);
      env.sockets.server.ackSends = true;
      env.sockets.server.echoToSender = true;
      break;
    case 'auth': {
      const token = env.session.current()?.token;
      if (token) env.sockets.server.refusedTokens.add(token);
      conn?.drop(4401, 'session expired');
      break;
    }
  }
}

/** The script both clients run: sends, server posts and drops at seeded random positions. */
async function script(env: Env, send: (text: string) => void, seed: number) {
  const downTexts = new Set<string>();
  const random = prng(seed);
  const dropAt = new Set<number>();
  while (dropAt.size < DROPS) dropAt.add(1 + Math.floor(random() * (OUTGOING - 2)));
  const kinds: DropKind[] = [];
  let sentWhileDown = 0;
  for (let i = 0; i < OUTGOING; i++) {
    if (dropAt.has(i)) {
      // Each drop hits a live connection (not one already being replaced).
      await waitFor(
        () => env.sockets.current?.state === 'open' && !env.sockets.current.isHalfOpen,
        200,
      );
      const kind = KINDS[kinds.length % KINDS.length];
      kinds.push(kind);
      await drop(env, kind, random);
    }
    const open = env.sockets.current?.state === 'open' && !env.sockets.current.isHalfOpen;
    if (!open) {
      sentWhileDown++;
      downTexts.add(`m${i}`);
    }
    send(`m${i}`);
    if (i % (OUTGOING / INCOMING) === 0) env.sockets.server.post(`from bob ${i}`);
    if (i % 4 === 0) await sleep(1);
  }
  return { sentWhileDown, kinds, downTexts };
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (done()) return true;
    await sleep(5);
  }
  return done();
}

async function managed(seed: number) {
  const env = environment();
  const socket = new ChatSocket({
    url: 'wss://api.test/ws/chat',
    session: env.session,
    connectivity: env.connectivity,
    wx: env.fake.wx as unknown as SocketWx,
    storage: wxStorage(env.fake.wx),
    slots: new SocketSlotRegistry(),
    heartbeatIntervalMs: 20,
    pongTimeoutMs: 30,
    backoff: { baseMs: 2, capMs: 20 },
    maxAuthFailures: DROPS,
    // The scripted peer has no frame rate limit; pacing for server/'s 20/s is tested in unit tests.
    sendRate: false,
    outbox: { maxCount: OUTGOING, maxAgeMs: 60_000 },
  });
  const shown: number[] = [];
  const acked: string[] = [];
  socket.on('message', (message) => shown.push(message.id));
  socket.on('ack', (ack) => acked.push(ack.clientId));
  socket.connect();
  await sleep(5);
  const started = Date.now();
  const { sentWhileDown, kinds, downTexts } = await script(env, (text) => socket.send(text), seed);
  const room = env.sockets.server.messages;
  const settled = await waitFor(
    () => socket.pending.length === 0 && new Set(shown).size >= room.length,
    30_000,
  );
  const elapsed = Date.now() - started;
  socket.dispose();
  const clientIds = room.filter((m) => m.clientId).map((m) => m.clientId as string);
  const downDelivered = room.filter((m) => m.clientId && downTexts.has(m.text)).length;
  return {
    settled,
    elapsed,
    kinds,
    sentWhileDown,
    downDelivered,
    applied: env.sockets.server.applied.size,
    roomDuplicates: clientIds.length - new Set(clientIds).size,
    resendsDeduped: env.sockets.server.duplicateSends,
    acked: new Set(acked).size,
    ackDuplicates: acked.length - new Set(acked).size,
    roomSize: room.length,
    shownUnique: new Set(shown).size,
    shownDuplicates: shown.length - new Set(shown).size,
    connections: env.sockets.connections.length,
    heartbeatTimeouts: socket.stats.heartbeatTimeouts,
  };
}

/** Sends only while open, reconnects at once on close, shows whatever arrives. */
async function naive(seed: number) {
  const env = environment();
  const wx = env.fake.wx as unknown as SocketWx;
  let task: SocketTaskLike | undefined;
  let open = false;
  const shown: number[] = [];
  let stopped = false;
  const connect = () => {
    const token = env.session.current()?.token ?? '';
    const current = wx.connectSocket({
      url: 'wss://api.test/ws/chat',
      header: { Authorization: `Bearer ${token}` },
    });
    task = current;
    current.onOpen(() => (open = true));
    current.onMessage(({ data }) => {
      try {
        const frame = JSON.parse(String(data)) as { type: string; id?: number };
        if (frame.type === 'message' && frame.id) shown.push(frame.id);
      } catch {
        // ignored
      }
    });
    current.onClose(({ code }) => {
      open = false;
      if (code === 4401) env.session.invalidate(env.session.current()?.generation ?? 0);
      if (!stopped) setTimeout(connect, 2);
    });
  };
  connect();
  await sleep(5);
  let counter = 0;
  const { sentWhileDown, downTexts } = await script(
    env,
    (text) => {
      if (open && task)
        task.send({ data: JSON.stringify({ type: 'send', clientId: `n${counter++}`, text }) });
    },
    seed,
  );
  await sleep(200);
  stopped = true;
  task?.close({});
  const room = env.sockets.server.messages;
  return {
    sentWhileDown,
    downDelivered: room.filter((m) => m.clientId && downTexts.has(m.text)).length,
    applied: env.sockets.server.applied.size,
    roomSize: env.sockets.server.messages.length,
    shownUnique: new Set(shown).size,
    shownDuplicates: shown.length - new Set(shown).size,
  };
}

async function main() {
  const seed = Number(process.env.BENCH_SEED) || 20261121;
  const good = await managed(seed);
  const base = await naive(seed);
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  console.log(
    `chat delivery: ${OUTGOING} outgoing + ${INCOMING} incoming messages, ${DROPS} drops (${good.kinds.join(', ')})`,
  );
  console.log(
    `  settled: ${good.settled} in ${good.elapsed} ms over ${good.connections} connections, heartbeat caught ${good.heartbeatTimeouts} half-open socket(s)`,
  );
  const row = (label: string, managedValue: string | number, naiveValue: string | number = '-') =>
    console.log(
      `  ${label.padEnd(34)}${String(managedValue).padStart(10)}${String(naiveValue).padStart(16)}`,
    );
  console.log(`  ${''.padEnd(34)}${'ChatSocket'.padStart(10)}${'naive client'.padStart(16)}`);
  row('sent while disconnected', good.sentWhileDown, base.sentWhileDown);
  row('...delivered after reconnect', good.downDelivered, base.downDelivered);
  row(`outgoing applied (of ${OUTGOING})`, good.applied, base.applied);
  row('applied twice (server room)', good.roomDuplicates);
  row('resends de-duplicated by clientId', good.resendsDeduped);
  row('acked / acked twice', `${good.acked} / ${good.ackDuplicates}`);
  row(
    'room messages shown (unique)',
    `${good.shownUnique}/${good.roomSize}`,
    `${base.shownUnique}/${base.roomSize}`,
  );
  row('shown twice', good.shownDuplicates, base.shownDuplicates);
  const ok =
    good.settled &&
    good.downDelivered === good.sentWhileDown &&
    good.applied === OUTGOING &&
    good.acked === OUTGOING &&
    good.ackDuplicates === 0 &&
    good.roomDuplicates === 0 &&
    good.shownDuplicates === 0 &&
    good.shownUnique === good.roomSize;
  const duplicates = good.ackDuplicates + good.roomDuplicates + good.shownDuplicates;
  console.log(
    `  figure: sent while disconnected ${good.sentWhileDown} → delivered after reconnect ${good.downDelivered} ` +
      `(all ${OUTGOING} → ${good.applied}), ${duplicates} duplicates; ` +
      `goal N → exactly N, 0 duplicates: ${ok ? 'met' : 'NOT met'} ` +
      `(naive: ${pct(base.applied, OUTGOING)} delivered)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
