import { startSimulator, type Simulator } from './simulator';

export interface CliOptions {
  command: string;
  project: string;
  port: number;
  echoConsole: boolean;
  /** Lay pages out in headless Chromium (screenshots, sizes); default from MP_SIM_RENDER. */
  render?: boolean;
}

const USAGE =
  'usage: wechat-devtools-sim auto --project <path> --auto-port <port> [--verbose] [--render]';

/** DevTools' cli argument shape; unknown DevTools flags (--trust-project, --ticket ...) are ignored. */
export function parseArgs(argv: string[]): CliOptions {
  const [command, ...rest] = argv;
  if (command !== 'auto') throw new Error(`unsupported command "${command ?? ''}"\n${USAGE}`);
  let project = '';
  let port = 9420;
  let echoConsole = false;
  let render: boolean | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string => {
      const next = inline ?? rest[++i];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    switch (flag) {
      case '--project':
        project = value();
        break;
      case '--auto-port':
      case '--port': {
        const text = value();
        port = Number(text);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new Error(`invalid port "${text}"`);
        break;
      }
      case '--verbose':
        echoConsole = true;
        break;
      case '--render':
        render = true;
        break;
      case '--auto-account':
      case '--ticket':
      case '--lang':
        if (inline === undefined && rest[i + 1] && !rest[i + 1].startsWith('--')) i++;
        break;
      default:
        // Other DevTools flags (--trust-project, ...) have no meaning here.
        break;
    }
  }
  if (!project) throw new Error(`--project is required\n${USAGE}`);
  return { command, project, port, echoConsole, ...(render ? { render } : {}) };
}

/** Entry of bin/cli.js: runs until SIGTERM/SIGINT or Tool.close. */
export async function main(argv: string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  let simulator: Simulator;
  try {
    simulator = await startSimulator({
      projectPath: options.project,
      port: options.port,
      echoConsole: options.echoConsole,
      render: options.render,
      onClose: () => process.exit(0),
    });
  } catch (error) {
    process.stderr.write(`wechat-devtools-sim: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`wechat-devtools-sim: ${options.project} on ${simulator.wsEndpoint}\n`);
  const shutdown = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
