import path from 'node:path';
import { startServer } from './app';
import { REPO_ROOT, optionsFromEnv } from './config';

/** `npm start`: the local backend with embedded defaults (see README for the variables). */
async function main(): Promise<void> {
  const server = await startServer(optionsFromEnv(process.env));
  const { options } = server.context;
  const dist = path.join(REPO_ROOT, 'dist');
  console.log(
    [
      '',
      `  API server listening on ${server.url}  (data: ${options.dataDir})`,
      `  Login provider: ${options.wechat ? `WeChat jscode2session at ${options.wechat.apiBase}` : 'development (no WECHAT_APPID/WECHAT_SECRET)'}`,
      options.devRoutes && !options.production
        ? `  Dev fault injection: ${server.url}/__dev (loopback only)`
        : '',
      '',
      '  Open it in WeChat DevTools:',
      `    1. Import project → directory ${REPO_ROOT} (project.config.json sets miniprogramRoot to dist/: ${dist})`,
      '    2. AppID: the tourist appid works (development login). Domain checks are off',
      '       (project.config.json: urlCheck false), so the app may call this loopback server.',
      `    3. The app talks to ${server.url}; chat uses ${server.url.replace(/^http/, 'ws')}/ws/chat.`,
      '',
    ]
      .filter((line, i, all) => line !== '' || all[i - 1] !== '')
      .join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
