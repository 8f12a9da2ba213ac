import { createLibraryRequire, type LibraryScope } from '../sandbox/library-loader';
import type { Sandbox } from '../sandbox/sandbox';
import { registerBuiltinComponents, type BuiltinHooks } from '../builtins/builtin-components';
import type { ComponentManager, Exparser, JComponent } from './exparser-types';

export interface ViewLibraries {
  exparser: Exparser;
  jc: JComponent;
  /** j-component's registry: component id → manager (holds the exparser definition). */
  componentManager(id: string): ComponentManager | undefined;
  /** Register (once) an empty stand-in for a `wx://` behavior j-component does not know. */
  builtinBehavior(name: string): string;
}

/** Loads exparser and j-component into the sandbox realm and registers the built-ins. */
export function loadViewLibraries(
  sandbox: Sandbox,
  scope: LibraryScope,
  hooks: BuiltinHooks,
): ViewLibraries {
  const requireLibrary = createLibraryRequire(sandbox, scope);
  const exparser = requireLibrary('miniprogram-exparser') as Exparser;
  const jc = requireLibrary('j-component') as JComponent;
  const utils = requireLibrary('j-component/src/tool/utils') as {
    cache(id: string): ComponentManager | undefined;
  };
  registerBuiltinComponents(jc, sandbox, hooks);
  const known = new Set([
    'wx://form-field',
    'wx://form-field-group',
    'wx://form-field-button',
    'wx://component-export',
  ]);
  const registered = new Set<string>();
  return {
    exparser,
    jc,
    componentManager: (id) => utils.cache(id),
    builtinBehavior(name) {
      if (known.has(name) || registered.has(name)) return name;
      // e.g. wx://proxy-scroll-view: no observable effect without layout.
      exparser.registerBehavior({
        is: name,
        options: { lazyRegistration: true, publicProperties: true },
      });
      registered.add(name);
      return name;
    },
  };
}
