import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyInstance } from 'fastify';

/**
 * Bodies are validated strictly (a number is not a string), while querystring, params and
 * headers are coerced from their textual form, which is all HTTP can carry there.
 */
export function installValidators(app: FastifyInstance): void {
  const build = AjvCompiler();
  const strict = build(
    {},
    {
      customOptions: {
        coerceTypes: false,
        removeAdditional: true,
        useDefaults: true,
        allErrors: false,
      },
    },
  );
  const coercing = build(
    {},
    {
      customOptions: {
        coerceTypes: 'array',
        removeAdditional: true,
        useDefaults: true,
        allErrors: false,
      },
    },
  );
  app.setValidatorCompiler((route) =>
    route.httpPart === 'body' ? strict(route) : coercing(route),
  );
}

const VALIDATED_PARTS = ['body', 'querystring', 'params', 'headers'] as const;

/**
 * Every route validates its input with a JSON schema: a route declared without one (no body,
 * querystring, params or headers schema) fails the build instead of taking unchecked input.
 * Installed before the routes; it also covers routes added later, e.g. by plugins.
 */
export function requireRouteSchemas(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Partial<Record<string, unknown>> | undefined;
    if (!VALIDATED_PARTS.some((part) => schema?.[part] !== undefined)) {
      const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
      throw new Error(`${method} ${route.url} has no JSON schema for its input`);
    }
  });
}
