type Step = { animates: Array<{ type: string; args: unknown[] }>; option: Record<string, unknown> };

/** wx.createAnimation: records steps; `export()` hands them to the `animation` attribute. */
export function createAnimation(defaults: Record<string, unknown> = {}): Record<string, unknown> {
  const base = {
    duration: 400,
    timingFunction: 'linear',
    delay: 0,
    transformOrigin: '50% 50% 0',
    ...defaults,
  };
  let current: Step['animates'] = [];
  let actions: Step[] = [];
  const animation: Record<string, unknown> = {};
  const methods = [
    'matrix',
    'matrix3d',
    'rotate',
    'rotate3d',
    'rotateX',
    'rotateY',
    'rotateZ',
    'scale',
    'scale3d',
    'scaleX',
    'scaleY',
    'scaleZ',
    'skew',
    'skewX',
    'skewY',
    'translate',
    'translate3d',
    'translateX',
    'translateY',
    'translateZ',
    'opacity',
    'backgroundColor',
    'width',
    'height',
    'left',
    'right',
    'top',
    'bottom',
  ];
  const styleMethods = new Set([
    'opacity',
    'backgroundColor',
    'width',
    'height',
    'left',
    'right',
    'top',
    'bottom',
  ]);
  for (const method of methods) {
    animation[method] = (...args: unknown[]) => {
      if (styleMethods.has(method)) current.push({ type: 'style', args: [method, args[0]] });
      else current.push({ type: method, args });
      return animation;
    };
  }
  animation.step = (options: Record<string, unknown> = {}) => {
    const option = { ...base, ...options };
    actions.push({
      animates: current,
      option: {
        transformOrigin: option.transformOrigin,
        transition: {
          duration: option.duration,
          timingFunction: option.timingFunction,
          delay: option.delay,
        },
      },
    });
    current = [];
    return animation;
  };
  animation.export = () => {
    const out = { actions };
    actions = [];
    return out;
  };
  return animation;
}
