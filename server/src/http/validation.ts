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
