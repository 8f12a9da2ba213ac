import crypto from 'node:crypto';
import type { FaultAction, FaultRule } from '../../../typings/dev';

interface ActiveRule {
  id: string;
  rule: FaultRule;
  remaining: number;
}

/** The next N requests matching a rule get its action; rules are checked in the order added. */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): string {
    const id = crypto.randomBytes(6).toString('hex');
    this.rules.push({ id, rule, remaining: rule.count ?? 1 });
    return id;
  }

  clear(): void {
    this.rules = [];
  }

  get size(): number {
    return this.rules.length;
  }

  /** Consumes one use of the first matching rule. */
  take(method: string, path: string): FaultAction | undefined {
    const index = this.rules.findIndex(
      ({ rule }) =>
        (!rule.match.method || rule.match.method.toUpperCase() === method) &&
        path.startsWith(rule.match.pathPrefix),
    );
    if (index < 0) return undefined;
    const active = this.rules[index];
    if (--active.remaining <= 0) this.rules.splice(index, 1);
    return active.rule.action;
  }
}
