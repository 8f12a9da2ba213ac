/** Programmatic API of the headless WeChat DevTools stand-in. */
export {
  startSimulator,
  type Simulator,
  type SimulatorHandle,
  type SimulatorOptions,
} from './simulator';
export type { LaunchOptionsInput, LogEntry, ExceptionEntry } from './runtime/mini-program';
export type { ChromeState } from './runtime/ui-state';
export type { SimulatorControls, WxOptions } from './wx';
