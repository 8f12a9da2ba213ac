import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { FileInfo, FileListQuery, PageResult } from '../../../typings/api';
import type { AppContext } from '../context';
import { AppError } from '../domain/errors';
import { envelopeOf } from '../domain/rules';
import { authOf } from '../http/auth-hook';
import { sendCacheable } from '../http/conditional';
import { fileIdSchema, noQuerySchema, pageQuerySchema } from './schemas';

/** GET /files/:id: capability URL — whoever holds the unguessable id may read (as <image src> must). */
export function publicFileRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>(
    '/files/:id',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: fileIdSchema } } } },
    async (request, reply) => {
      const { file, path } = await ctx.files.open(request.params.id);
      reply
        .type(file.mime)
        .header(
          'content-disposition',
          `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        );
      return sendCacheable(
        request,
        reply,
        `"${file.sha256}"`,
        'private, max-age=31536000, immutable',
        () => {
          reply.header('content-length', file.size);
          return fs.createReadStream(path);
        },
      );
    },
  );
}

/** POST /api/uploads (multipart, field `file`) and GET /api/files. */
export function uploadRoutes(app: FastifyInstance, ctx: AppContext): void {
  // The multipart parts are checked in code: one file, in field `file`, size, magic bytes.
  app.post('/api/uploads', { schema: { querystring: noQuerySchema } }, async (request) => {
    if (!request.isMultipart()) {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'POST /api/uploads takes multipart/form-data with the file in field "file"',
      );
    }
    const part = await request.file({ limits: { fileSize: ctx.options.maxUploadBytes } });
    if (!part) throw new AppError('BAD_REQUEST', 'No file part: send the file in field "file"');
    if (part.fieldname !== 'file') {
      part.file.resume();
      throw new AppError(
        'BAD_REQUEST',
        `Unexpected file field "${part.fieldname.slice(0, 40)}": use "file"`,
      );
    }
    const info = await ctx.files.storeStream(
      authOf(request).user.id,
      part.filename,
      part.file,
      () => part.file.truncated,
      ctx.options.maxUploadBytes,
    );
    return envelopeOf<FileInfo>(info, request.id);
  });

  app.get<{ Querystring: FileListQuery }>(
    '/api/files',
    { schema: { querystring: pageQuerySchema } },
    async (request) =>
      envelopeOf<PageResult<FileInfo>>(
        await ctx.files.list(authOf(request).user.id, request.query),
        request.id,
      ),
  );
}
