/**
 * The few device answers the view libraries need while rendering (tdesign asks for window and
 * base info), used only until/unless the wx API layer provides its own.
 */
export function fallbackApis(wxLayerPresent: boolean): Record<string, unknown> {
  if (wxLayerPresent) return {};
  const windowInfo = () => ({
    pixelRatio: 2,
    screenWidth: 375,
    screenHeight: 667,
    windowWidth: 375,
    windowHeight: 603,
    statusBarHeight: 20,
    safeArea: { left: 0, right: 375, top: 20, bottom: 667, width: 375, height: 647 },
    screenTop: 64,
  });
  const baseInfo = () => ({
    SDKVersion: '3.8.0',
    language: 'zh_CN',
    version: '8.0.50',
    theme: 'light',
  });
  const deviceInfo = () => ({
    brand: 'devtools',
    model: 'iPhone 6/7/8',
    system: 'iOS 16.0',
    platform: 'devtools',
  });
  return {
    getWindowInfo: windowInfo,
    getAppBaseInfo: baseInfo,
    getDeviceInfo: deviceInfo,
    getSystemInfoSync: () => ({ ...windowInfo(), ...baseInfo(), ...deviceInfo() }),
    getMenuButtonBoundingClientRect: () => ({
      width: 87,
      height: 32,
      top: 24,
      right: 368,
      bottom: 56,
      left: 281,
    }),
    canIUse: () => true,
  };
}
