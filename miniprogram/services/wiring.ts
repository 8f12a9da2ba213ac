/**
 * Builds the app's services once from the real utils and adapts them to the ports the pages
 * use. app.ts calls `wireServices` in onLaunch; nothing else constructs network objects.
 */
import type { AppConfig } from '../config';
import { setApiHttp } from '../api/client';
import { ChunkedUploader } from '../utils/chunked-upload';
import { createHttpClient, serverMetricsReporter } from '../utils/http';
import type { HttpClient } from '../utils/http';
import { ConnectivityStore, latencyFeed } from '../utils/network';
import { MutationOutbox } from '../utils/outbox';
import { ChatSocket } from '../utils/socket';
import { UploadQueue } from '../utils/upload';
import { albumPort } from './album-port';
import { AppMonitor, monitorPort } from './app-monitor';
import { ChatAdapter } from './chat-adapter';
import { provideServices } from './container';
import { plainError } from './error-text';
import { OutboxAdapter } from './outbox-adapter';
import type { AppServices, AppSession } from './ports';
import { UploadsAdapter } from './uploads-adapter';

export interface WiredApp {
  services: AppServices & { config: AppConfig };
  http: HttpClient;
  monitor: AppMonitor;
  connectivity: ConnectivityStore;
}

export function wireServices(config: AppConfig): WiredApp {
  const connectivity = new ConnectivityStore();
  connectivity.start();

  // The reporter needs the client and the client needs the monitor: bind it late.
  const late: { http?: HttpClient } = {};
  const monitor = new AppMonitor(
    {
      app: { version: config.version },
      reporter: (batch) =>
        late.http ? serverMetricsReporter(late.http)(batch) : Promise.resolve(),
      // Every request in development; a sample in production keeps the upload small.
      sampleRate: config.env === 'production' ? 0.2 : 1,
    },
    // Request latencies also tell the connectivity store when the network is weak.
    { sinks: [latencyFeed(connectivity)] },
  );

  const client = createHttpClient({ baseURL: config.apiBase, connectivity, monitor });
  late.http = client;
  const sessionManager = client.session;
  if (!sessionManager) throw new Error('wiring: the http client has no session manager');
  const session: AppSession = {
    current: () => sessionManager.current(),
    ensure: (signal) => sessionManager.ensure(signal),
    invalidate: (generation) => sessionManager.invalidate(generation),
    onChange: (listener) => sessionManager.onChange(listener),
    logout: async () => client.logout(),
  };

  const mutationOutbox = new MutationOutbox({ http: client, connectivity });
  mutationOutbox.start();
  const outbox = new OutboxAdapter(mutationOutbox);

  const socket = new ChatSocket({
    url: config.chatSocketUrl,
    session: sessionManager,
    connectivity,
  });
  const chat = new ChatAdapter(socket);

  const queue = new UploadQueue({
    baseURL: config.apiBase,
    scheduler: client.scheduler,
    session: sessionManager,
  });
  const chunked = new ChunkedUploader({ http: client });
  const uploads = new UploadsAdapter({
    queue,
    resumableThresholdBytes: config.resumableThresholdBytes,
    resumable: (file, onProgress, signal) =>
      chunked.upload(file.path, {
        filename: file.name,
        signal,
        onProgress: (progress) => {
          if (progress.phase === 'uploading' && progress.total > 0) {
            onProgress(Math.round((progress.loaded / progress.total) * 100));
          }
        },
      }),
    describeError: plainError,
  });

  setApiHttp(client);
  const services = {
    config,
    http: client,
    session,
    connectivity,
    outbox,
    chat,
    uploads,
    album: albumPort(client.scheduler),
    monitor: monitorPort(monitor),
  };
  provideServices(services);
  return { services, http: client, monitor, connectivity };
}
