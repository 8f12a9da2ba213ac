import type { FastifyInstance } from 'fastify';
import type {
  ChunkReceipt,
  ChunkedUploadCreate,
  ChunkedUploadSession,
  FileInfo,
} from '../../../typings/api';
import type { AppContext } from '../context';
import { AppError } from '../domain/errors';
import { envelopeOf } from '../domain/rules';
import { authOf } from '../http/auth-hook';
import { uploadIdSchema } from './schemas';

export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;
export const MIN_CHUNK_BYTES = 64 * 1024;
export const MAX_CHUNKED_FILE_BYTES = 100 * 1024 * 1024;

const uploadParams = {
  type: 'object',
  required: ['uploadId'],
  properties: { uploadId: uploadIdSchema },
} as const;

export function chunkedUploadRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: ChunkedUploadCreate }>(
    '/api/uploads/chunked',
    {
      bodyLimit: 4 * 1024,
      schema: {
        body: {
          type: 'object',
          required: ['filename', 'size', 'sha256', 'chunkSize'],
          properties: {
            filename: { type: 'string', minLength: 1, maxLength: 255 },
            size: { type: 'integer', minimum: 1, maximum: MAX_CHUNKED_FILE_BYTES },
            sha256: { type: 'string', pattern: '^[A-Fa-f0-9]{64}$' },
            chunkSize: { type: 'integer', minimum: MIN_CHUNK_BYTES, maximum: MAX_CHUNK_BYTES },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) =>
      envelopeOf<ChunkedUploadSession>(
        await ctx.files.createChunked(authOf(request).user.id, request.body),
        request.id,
      ),
  );

  app.get<{ Params: { uploadId: string } }>(
    '/api/uploads/chunked/:uploadId',
    { schema: { params: uploadParams } },
    async (request) =>
      envelopeOf<ChunkedUploadSession>(
        await ctx.files.getChunked(authOf(request).user.id, request.params.uploadId),
        request.id,
      ),
  );

  // Chunk bytes and the (bodiless) completion take any content type as raw bytes: wx.request
  // may label an ArrayBuffer body, or an empty one, as JSON.
  app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_CHUNK_BYTES },
      (_req, body, done) => done(null, body),
    );

    raw.put<{ Params: { uploadId: string; index: number }; Body: Buffer | undefined }>(
      '/api/uploads/chunked/:uploadId/chunks/:index',
      {
        bodyLimit: MAX_CHUNK_BYTES,
        schema: {
          params: {
            type: 'object',
            required: ['uploadId', 'index'],
            properties: {
              uploadId: uploadIdSchema,
              index: { type: 'integer', minimum: 0, maximum: 100_000 },
            },
          },
        },
      },
      async (request) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new AppError(
            'BAD_REQUEST',
            'The chunk bytes are the request body (application/octet-stream)',
          );
        }
        return envelopeOf<ChunkReceipt>(
          await ctx.files.putChunk(
            authOf(request).user.id,
            request.params.uploadId,
            request.params.index,
            body,
          ),
          request.id,
        );
      },
    );

    raw.post<{ Params: { uploadId: string } }>(
      '/api/uploads/chunked/:uploadId/complete',
      { bodyLimit: 1024, schema: { params: uploadParams } },
      async (request) =>
        envelopeOf<FileInfo>(
          await ctx.files.completeChunked(authOf(request).user.id, request.params.uploadId),
          request.id,
        ),
    );
  });
}
