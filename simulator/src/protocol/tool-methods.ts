import { argsOf, requireString, toJson, type Handlers, type ProtocolContext } from './context';

const RUNTIME_CONTROLS = [
  'background',
  'foreground',
  'reachBottom',
  'pullDownRefresh',
  'chrome',
  'wxssFiles',
];

/** Tool.* (the IDE) and Simulator.* (controls of the simulated phone, not in DevTools). */
export function toolMethods(ctx: ProtocolContext): Handlers {
  const { runtime } = ctx;
  return {
    'Tool.getInfo': () => ({
      SDKVersion: ctx.sdkVersion,
      simulator: 'miniprogram-headless-simulator',
    }),
    'Tool.close': () => {
      ctx.requestClose();
      return {};
    },
    'Tool.enableRemoteDebug': () => {
      throw new Error(
        'Tool.enableRemoteDebug: remote debugging on a phone is not available in the headless simulator',
      );
    },
    'Tool.getTestAccounts': () => ({ accounts: [] }),
    'Tool.stopAudits': () => ({
      report: 'Audits are not run by the headless simulator.',
      data: '{}',
    }),
    'Tool.getTicket': () => ({ ticket: '' }),
    'Tool.setTicket': () => ({}),
    'Tool.refreshTicket': () => ({}),
    'Tool.native': async (params) => {
      const method = requireString(params, 'method');
      const data = params.data as Record<string, unknown> | undefined;
      switch (method) {
        case 'goHome':
          await runtime.router.reLaunch(`/${runtime.project.entryRoute}`);
          return {};
        case 'navigateLeft':
          await runtime.router.navigateBack(1);
          return {};
        case 'switchTab': {
          const url = typeof data === 'string' ? data : data?.url;
          await runtime.tapTabBarItem(url);
          return {};
        }
        case 'confirmModal':
        case 'cancelModal':
        case 'authorizeAllow':
        case 'authorizeCancel': {
          if (!runtime.controls)
            throw new Error(`Tool.native ${method}: the wx layer is not available`);
          if (!runtime.controls.native(method, data)) {
            throw new Error(`Tool.native ${method}: nothing on screen to answer`);
          }
          return {};
        }
        case 'closePaymentDialog':
        case 'shareCancel':
        case 'shareConfirm':
          throw new Error(`Tool.native ${method}: payment and share dialogs are not emulated`);
        default:
          throw new Error(`Tool.native: unknown method "${method}"`);
      }
    },
    'Simulator.listControls': () => ({
      controls: [...Object.keys(runtime.controls ?? {}), ...RUNTIME_CONTROLS],
    }),
    'Simulator.background': () => {
      runtime.sendToBackground();
      return {};
    },
    'Simulator.foreground': (params) => {
      runtime.bringToForeground((params.options ?? {}) as Record<string, never>);
      return {};
    },
    'Simulator.reachBottom': () => {
      runtime.reachBottom();
      return {};
    },
    'Simulator.pullDownRefresh': () => {
      runtime.pullDownRefresh();
      return {};
    },
    'Simulator.chrome': () => ({ result: toJson(runtime.chrome) }),
    'Simulator.wxssFiles': async () => ({
      result: [...(await runtime.compiledWxss()).sheets.keys()].sort(),
    }),
  };
}

/** `Simulator.<control>` with `{ args }` → the wx layer's control of that name. */
export async function callControl(
  ctx: ProtocolContext,
  name: string,
  params: Record<string, unknown>,
): Promise<unknown> {
  const controls = ctx.runtime.controls as unknown as Record<string, unknown> | null;
  const fn = controls?.[name];
  if (typeof fn !== 'function') throw new Error(`unknown method "Simulator.${name}"`);
  const result = await (fn as (...args: unknown[]) => unknown).apply(controls, argsOf(params));
  return { result: toJson(result) };
}
