import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, codeForStatus } from '../domain/errors';
import { errorEnvelope } from '../domain/rules';

/** Fastify/plugin error codes whose status is not the one the contract wants. */
const STATUS_OVERRIDES: Record<string, number> = {
  FST_INVALID_MULTIPART_CONTENT_TYPE: 415,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 415,
};

function toAppError(error: FastifyError | AppError | Error): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return new AppError('BAD_REQUEST', error.message);
  const status = STATUS_OVERRIDES[fastifyError.code] ?? fastifyError.statusCode ?? 500;
  if (status >= 500 || status < 400)
    return new AppError('INTERNAL', 'Internal error', { status: 500 });
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new AppError('BAD_REQUEST', `Malformed JSON body: ${error.message}`);
  }
  return new AppError(codeForStatus(status), error.message, { status });
}

/** Every failure becomes an Envelope with the trace id; 5xx never show internals. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else
      request.log.info({ errorCode: appError.code, message: appError.message }, 'request refused');
    if (appError.retryAfter !== undefined) reply.header('retry-after', String(appError.retryAfter));
    return reply.code(appError.status).send(errorEnvelope(appError, request.id));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        errorEnvelope(
          new AppError(
            'NOT_FOUND',
            `Route ${request.method} ${request.url.split('?')[0]} not found`,
          ),
          request.id,
        ),
      ),
  );
}
