import fs from 'fs';
import path from 'path';
import type { Project } from '../project/project';
import { resolveComponentRoute } from '../project/component-route';
import type { Sandbox } from '../sandbox/sandbox';
import type { ModuleLoader } from './module-loader';
import type { ViewLibraries } from './view-libraries';

/** What Component()/Page() need to know about the module being evaluated. */
interface PendingRegistration {
  id: string;
  route: string;
  tagName: string;
  template: unknown;
  usingComponents: Record<string, string>;
  isPage: boolean;
  registered: boolean;
}

/** Definition fields of Page() that are lifecycles or framework options, not instance fields. */
const PAGE_RESERVED = new Set(['data', 'behaviors', 'options']);

export interface ComponentRegistryDeps {
  project: Project;
  sandbox: Sandbox;
  libraries: ViewLibraries;
  loader: ModuleLoader;
  /** The compiled template for `route.wxml`, or undefined if there is none. */
  template(route: string): unknown;
  /** Behavior id added to every page and component (instance set-up done by the runtime). */
  instanceBehavior: string;
}

/**
 * Registers pages and custom components with j-component lazily, dependencies first, keeping a
 * stack so that `Component()`/`Page()` know which file is calling them (as WeChat's __wxRoute).
 */
export class ComponentRegistry {
  private readonly ids = new Map<string, string>();
  private readonly pending: PendingRegistration[] = [];
  private readonly globalUsing: Record<string, string>;

  constructor(private readonly deps: ComponentRegistryDeps) {
    this.globalUsing = deps.project.appJson.usingComponents ?? {};
  }

  /** Register the page at `route` (idempotent); returns its component id. */
  ensurePage(route: string): string {
    return this.ensure(route, true, 'page');
  }

  isPageRegistered(route: string): boolean {
    return this.ids.has(route);
  }

  private ensure(route: string, isPage: boolean, tagName: string): string {
    const existing = this.ids.get(route);
    if (existing) return existing;
    const id = route.toLowerCase();
    this.ids.set(route, id);
    try {
      const json = this.readComponentJson(route);
      const using: Record<string, string> = {};
      const entries = { ...this.globalUsing, ...(json.usingComponents ?? {}) };
      for (const [tag, target] of Object.entries(entries)) {
        if (typeof target !== 'string' || target.startsWith('plugin://')) continue;
        const fromRoute = Object.prototype.hasOwnProperty.call(json.usingComponents ?? {}, tag)
          ? route
          : 'app';
        using[tag] = this.ensure(
          resolveComponentRoute(this.deps.project.root, target, fromRoute),
          false,
          tag,
        );
      }
      const registration: PendingRegistration = {
        id,
        route,
        tagName,
        template: this.deps.template(route) ?? '',
        usingComponents: using,
        isPage,
        registered: false,
      };
      const jsFile = path.join(this.deps.project.root, `${route}.js`);
      if (!fs.existsSync(jsFile)) throw new Error(`${route}.js not found`);
      this.pending.push(registration);
      try {
        this.deps.loader.load(jsFile);
      } finally {
        this.pending.pop();
      }
      if (!registration.registered) {
        throw new Error(
          `${route}.js did not call ${isPage ? 'Page() or Component()' : 'Component()'}`,
        );
      }
      return id;
    } catch (error) {
      this.ids.delete(route);
      throw error;
    }
  }

  /** The `Component()` global. */
  Component = (definition: Record<string, unknown>): void => {
    const registration = this.current('Component');
    this.register(registration, { ...definition });
  };

  /** The `Page()` global: a page is a component whose functions are methods. */
  Page = (definition: Record<string, unknown>): void => {
    const registration = this.current('Page');
    if (!registration.isPage)
      throw new Error(`Page() called in component ${registration.route}.js`);
    const methods: Record<string, unknown> = {};
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(definition)) {
      const value = definition[key];
      if (PAGE_RESERVED.has(key)) continue;
      if (typeof value === 'function') methods[key] = value;
      else fields[key] = value;
    }
    const sandbox = this.deps.sandbox;
    this.register(registration, {
      data: definition.data ?? {},
      behaviors: definition.behaviors,
      options: definition.options,
      methods,
      lifetimes: {
        created(this: Record<string, unknown>) {
          for (const key of Object.keys(fields)) this[key] = sandbox.copyIn(fields[key]);
        },
      },
    });
  };

  /** The `Behavior()` global. */
  Behavior = (definition: Record<string, unknown>): string => {
    const copy = { ...definition };
    copy.behaviors = this.mapBehaviors(copy.behaviors);
    return this.deps.libraries.jc.behavior(copy);
  };

  private current(kind: string): PendingRegistration {
    const registration = this.pending[this.pending.length - 1];
    if (!registration || registration.registered) {
      throw new Error(`${kind}() must be called while its own page/component file is loading`);
    }
    return registration;
  }

  private register(registration: PendingRegistration, definition: Record<string, unknown>): void {
    const options = { ...((definition.options as Record<string, unknown>) ?? {}) };
    const behaviors = this.mapBehaviors(definition.behaviors);
    behaviors.unshift(this.deps.instanceBehavior);
    const relations = definition.relations as Record<string, Record<string, unknown>> | undefined;
    this.deps.libraries.jc.register({
      ...definition,
      id: registration.id,
      path: registration.route,
      tagName: registration.tagName,
      template: registration.template,
      usingComponents: registration.usingComponents,
      behaviors,
      options,
      relations: relations ? this.mapRelations(relations, registration.route) : undefined,
    });
    registration.registered = true;
  }

  private mapBehaviors(list: unknown): unknown[] {
    if (list == null) return [];
    if (!Array.isArray(list)) throw new Error('behaviors must be an array');
    return list.map((item) =>
      typeof item === 'string' && item.startsWith('wx://')
        ? this.deps.libraries.builtinBehavior(item)
        : item,
    );
  }

  /** Relation keys are paths relative to the component: rewrite them to component ids. */
  private mapRelations(
    relations: Record<string, Record<string, unknown>>,
    route: string,
  ): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [key, value] of Object.entries(relations)) {
      if (value && value.target !== undefined) {
        out[key] = value;
        continue;
      }
      const target = path.posix.normalize(
        key.startsWith('/') ? key.slice(1) : path.posix.join(path.posix.dirname(route), key),
      );
      const id = target.toLowerCase();
      out[id] = { ...value, target: id };
    }
    return out;
  }

  private readComponentJson(route: string): { usingComponents?: Record<string, string> } {
    const file = path.join(this.deps.project.root, `${route}.json`);
    if (!fs.existsSync(file)) return {};
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as {
        usingComponents?: Record<string, string>;
      };
    } catch (error) {
      throw new Error(`invalid JSON in ${route}.json: ${(error as Error).message}`);
    }
  }
}
