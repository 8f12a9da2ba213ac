import { asyncApi, syncApi } from './callback';
import type { ApiTable, WxContext } from './context';
import type { Theme } from './host';
import { Listeners } from './types';

/** DevTools' default device: iPhone 6/7/8, 375×667 at 2x, a navigation bar and no tab bar. */
const DEVICE = {
  brand: 'devtools',
  model: 'iPhone 6/7/8',
  platform: 'devtools',
  system: 'iOS 10.0.1',
  pixelRatio: 2,
  screenWidth: 375,
  screenHeight: 667,
  statusBarHeight: 20,
  navigationBarHeight: 44,
};
const WINDOW_HEIGHT = DEVICE.screenHeight - DEVICE.statusBarHeight - DEVICE.navigationBarHeight;

/** The capsule (menu button) DevTools reports for that device. */
export const MENU_BUTTON_RECT = {
  width: 87,
  height: 32,
  top: 24,
  right: 365,
  bottom: 56,
  left: 278,
};

export class SystemState {
  theme: Theme;
  readonly themeListeners: Listeners<[{ theme: Theme }]>;

  constructor(private readonly ctx: WxContext) {
    this.theme = ctx.options.theme ?? 'light';
    this.themeListeners = new Listeners(ctx.onCallbackError);
  }

  setTheme(theme: Theme): void {
    if (theme !== 'light' && theme !== 'dark') throw new Error(`theme must be light or dark`);
    if (theme === this.theme) return;
    this.theme = theme;
    this.themeListeners.emit({ theme });
  }

  windowInfo() {
    return {
      pixelRatio: DEVICE.pixelRatio,
      screenWidth: DEVICE.screenWidth,
      screenHeight: DEVICE.screenHeight,
      windowWidth: DEVICE.screenWidth,
      windowHeight: WINDOW_HEIGHT,
      statusBarHeight: DEVICE.statusBarHeight,
      screenTop: DEVICE.statusBarHeight + DEVICE.navigationBarHeight,
      safeArea: {
        left: 0,
        right: DEVICE.screenWidth,
        top: DEVICE.statusBarHeight,
        bottom: DEVICE.screenHeight,
        width: DEVICE.screenWidth,
        height: DEVICE.screenHeight - DEVICE.statusBarHeight,
      },
    };
  }

  deviceInfo() {
    return {
      abi: 'x86_64',
      benchmarkLevel: 1,
      brand: DEVICE.brand,
      model: DEVICE.model,
      platform: DEVICE.platform,
      system: DEVICE.system,
      memorySize: 4096,
      cpuType: 'unknown',
    };
  }

  appBaseInfo() {
    return {
      SDKVersion: this.ctx.options.sdkVersion ?? '3.8.0',
      enableDebug: false,
      host: { env: 'WeChat', appId: '' },
      language: this.ctx.options.language ?? 'zh_CN',
      version: '8.0.5',
      theme: this.theme,
      fontSizeScaleFactor: 1,
      fontSizeSetting: 16,
    };
  }

  systemSetting() {
    return {
      bluetoothEnabled: true,
      locationEnabled: true,
      wifiEnabled: true,
      deviceOrientation: 'portrait',
    };
  }

  appAuthorizeSetting() {
    const yes = 'authorized';
    return {
      albumAuthorized: yes,
      bluetoothAuthorized: yes,
      cameraAuthorized: yes,
      locationAuthorized: yes,
      locationReducedAccuracy: false,
      microphoneAuthorized: yes,
      notificationAuthorized: yes,
      phoneCalendarAuthorized: yes,
    };
  }

  systemInfo() {
    return {
      ...this.deviceInfo(),
      ...this.windowInfo(),
      ...this.appBaseInfo(),
      ...this.systemSetting(),
      ...Object.fromEntries(
        Object.entries(this.appAuthorizeSetting()).map(([k, v]) => [k, v === 'authorized']),
      ),
    };
  }
}

export function createSystemApis(ctx: WxContext, system: SystemState): ApiTable {
  const on = ctx.onCallbackError;
  const appId = ctx.host.appId ?? 'touristappid';
  return {
    getSystemInfoSync: syncApi('getSystemInfoSync', () => system.systemInfo()),
    getSystemInfo: asyncApi('getSystemInfo', () => system.systemInfo(), on),
    getSystemInfoAsync: asyncApi('getSystemInfoAsync', () => system.systemInfo(), on),
    getWindowInfo: syncApi('getWindowInfo', () => system.windowInfo()),
    getDeviceInfo: syncApi('getDeviceInfo', () => system.deviceInfo()),
    getAppBaseInfo: syncApi('getAppBaseInfo', () => system.appBaseInfo()),
    getSystemSetting: syncApi('getSystemSetting', () => system.systemSetting()),
    getAppAuthorizeSetting: syncApi('getAppAuthorizeSetting', () => system.appAuthorizeSetting()),
    getMenuButtonBoundingClientRect: syncApi('getMenuButtonBoundingClientRect', () => ({
      ...MENU_BUTTON_RECT,
    })),
    getAccountInfoSync: syncApi('getAccountInfoSync', () => ({
      miniProgram: { appId, envVersion: 'develop', version: '' },
      plugin: {},
    })),
    onThemeChange: (fn) => system.themeListeners.add(fn),
    offThemeChange: (fn) => system.themeListeners.remove(fn),
  };
}
