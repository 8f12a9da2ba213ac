/**
 * The one place app.ts puts the wired services and everything else reads them from.
 * Pages and components run after App.onLaunch, so the services are always there for them;
 * tests provide their own.
 */
import type { AppConfig } from '../config';
import type { AppServices } from './ports';

let wired: (AppServices & { config: AppConfig }) | undefined;

export function provideServices(services: AppServices & { config: AppConfig }): void {
  wired = services;
}

export function services(): AppServices & { config: AppConfig } {
  if (!wired) throw new Error('services used before app.ts wired them (App.onLaunch)');
  return wired;
}

/** For components that may render before wiring (tests, previews): undefined instead of a throw. */
export function maybeServices(): (AppServices & { config: AppConfig }) | undefined {
  return wired;
}
