/**
 * Options with defaults, resolved once in a constructor: `defaults` overlaid with every option
 * that is set (an option passed as `undefined` keeps its default, unlike an object spread).
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const resolved = { ...defaults } as D & O;
  for (const key of Object.keys(options) as Array<keyof O>) {
    if (options[key] !== undefined) (resolved as O)[key] = options[key];
  }
  return resolved;
}
