import * as fs from 'node:fs';
import * as path from 'node:path';
import { asyncApi, WxFailure } from './callback';
import type { ApiTable, WxContext } from './context';
import { paramError } from './context';
import type { NextChoose } from './controls';
import type { Permissions } from './auth';
import { imageSize } from './image-size';
import type { WxPaths } from './paths';

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp']);
const VIDEO_EXT = new Set(['.mp4', '.mov', '.m4v']);

interface Picked {
  source: string;
  fileType: 'image' | 'video';
}

/**
 * The simulated gallery: chooseMedia/chooseImage copy files from the fixtures folder into temp
 * paths. A test scripts the next pick (or a cancel); without a script the first `count` fixture
 * files of the right type are picked, and no fixture files means the user cancels.
 */
export class MediaPicker {
  private next: NextChoose | null = null;

  constructor(
    private readonly ctx: WxContext,
    private readonly paths: WxPaths,
  ) {}

  setNext(next: NextChoose | null): void {
    if (next && !('cancel' in next) && !Array.isArray(next.files)) {
      throw new Error('setNextChoose expects { files: string[] }, { cancel: true } or null');
    }
    this.next = next;
  }

  private fixture(name: string): string {
    const dir = this.ctx.host.fixturesDir;
    const file = path.isAbsolute(name) ? name : dir ? path.join(dir, name) : null;
    if (!file || !fs.existsSync(file)) throw new WxFailure(`fixture file not found: ${name}`);
    return file;
  }

  pick(count: number, types: Array<'image' | 'video'>): Picked[] {
    const script = this.next;
    this.next = null;
    if (script && 'cancel' in script) throw new WxFailure('cancel');
    const typeOf = (file: string): 'image' | 'video' | null => {
      const ext = path.extname(file).toLowerCase();
      return IMAGE_EXT.has(ext) ? 'image' : VIDEO_EXT.has(ext) ? 'video' : null;
    };
    let files: string[];
    if (script) {
      files = script.files.map((f) => this.fixture(f));
    } else {
      const dir = this.ctx.host.fixturesDir;
      files =
        dir && fs.existsSync(dir)
          ? fs
              .readdirSync(dir)
              .sort()
              .map((f) => path.join(dir, f))
          : [];
    }
    const picked = files
      .map((source) => ({ source, fileType: typeOf(source) }))
      .filter((p): p is Picked => p.fileType !== null && types.includes(p.fileType))
      .slice(0, count);
    if (picked.length === 0) throw new WxFailure('cancel');
    return picked;
  }

  copyToTemp(source: string): { wxPath: string; size: number; bytes: Buffer } {
    const bytes = fs.readFileSync(source);
    const temp = this.paths.newTemp(path.extname(source));
    fs.writeFileSync(temp.real, bytes);
    return { wxPath: temp.wxPath, size: bytes.length, bytes };
  }
}

function countOf(value: unknown, max: number): number {
  if (value === undefined) return max;
  if (typeof value !== 'number' || value < 1)
    throw new WxFailure(paramError('count', 'Number', value));
  return Math.min(Math.floor(value), max);
}

/** Remote http(s) images (not the simulator's own `http://tmp/...` style paths). */
function isRemote(src: string): boolean {
  return /^https?:\/\//i.test(src) && !/^http:\/\/(tmp|usr|store)(\/|$)/.test(src);
}

export function createMediaApis(
  ctx: WxContext,
  paths: WxPaths,
  picker: MediaPicker,
  permissions: Permissions,
  fetchRemote: (url: URL) => Promise<Buffer>,
): ApiTable {
  const on = ctx.onCallbackError;

  const readImage = (src: unknown, field: string) => {
    if (typeof src !== 'string') throw new WxFailure(paramError(field, 'String', src));
    const resolved = paths.resolve(src);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(resolved.real);
    } catch {
      throw new WxFailure(`file not found: ${src}`);
    }
    return { resolved, bytes, size: imageSize(bytes) };
  };

  /** Shooting with the camera only (no album choice) needs scope.camera, as on a phone. */
  const cameraPermission = async (sourceType: unknown) => {
    if (
      Array.isArray(sourceType) &&
      sourceType.includes('camera') &&
      !sourceType.includes('album')
    ) {
      await permissions.ensure('scope.camera');
    }
  };

  let albumCounter = 0;
  const saveToAlbum = (api: string) =>
    asyncApi(
      api,
      async (o) => {
        if (typeof o.filePath !== 'string') {
          throw new WxFailure(paramError('filePath', 'String', o.filePath));
        }
        const resolved = paths.resolve(o.filePath);
        if (!fs.existsSync(resolved.real)) throw new WxFailure(`file not found: ${o.filePath}`);
        await permissions.ensure('scope.writePhotosAlbum');
        const name = `${Date.now()}-${++albumCounter}${path.extname(resolved.real)}`;
        fs.copyFileSync(resolved.real, path.join(paths.albumDir, name));
        ctx.record(api, { filePath: o.filePath, albumFile: name });
        return {};
      },
      on,
    );

  return {
    chooseMedia: asyncApi(
      'chooseMedia',
      async (o) => {
        await cameraPermission(o.sourceType);
        const mediaType = Array.isArray(o.mediaType) ? o.mediaType : ['image', 'video'];
        const types = (['image', 'video'] as const).filter(
          (t) => mediaType.includes(t) || mediaType.includes('mix'),
        );
        const picked = picker.pick(countOf(o.count, 9), types);
        ctx.record('chooseMedia', { count: o.count, mediaType, sourceType: o.sourceType });
        const tempFiles = picked.map((p) => {
          const copy = picker.copyToTemp(p.source);
          const size = imageSize(copy.bytes);
          return {
            tempFilePath: copy.wxPath,
            size: copy.size,
            fileType: p.fileType,
            width: size?.width ?? 0,
            height: size?.height ?? 0,
            duration: 0,
            thumbTempFilePath: p.fileType === 'video' ? '' : undefined,
          };
        });
        const kinds = new Set(picked.map((p) => p.fileType));
        return { tempFiles, type: kinds.size > 1 ? 'mix' : [...kinds][0] };
      },
      on,
    ),
    chooseImage: asyncApi(
      'chooseImage',
      async (o) => {
        await cameraPermission(o.sourceType);
        const picked = picker.pick(countOf(o.count, 9), ['image']);
        ctx.record('chooseImage', { count: o.count, sourceType: o.sourceType });
        const tempFiles = picked.map((p) => {
          const copy = picker.copyToTemp(p.source);
          return { path: copy.wxPath, size: copy.size };
        });
        return { tempFilePaths: tempFiles.map((f) => f.path), tempFiles };
      },
      on,
    ),
    getImageInfo: asyncApi(
      'getImageInfo',
      async (o) => {
        if (typeof o.src === 'string' && isRemote(o.src)) {
          // A network image is downloaded to a temp file first, as WeChat does.
          const bytes = await fetchRemote(new URL(o.src));
          const size = imageSize(bytes);
          if (!size) throw new WxFailure('unsupported image format');
          const temp = paths.newTemp(size.type === 'jpeg' ? 'jpg' : size.type);
          fs.writeFileSync(temp.real, bytes);
          return { ...size, orientation: 'up', path: temp.wxPath };
        }
        const { resolved, size } = readImage(o.src, 'src');
        if (!size) throw new WxFailure('unsupported image format');
        return {
          width: size.width,
          height: size.height,
          type: size.type,
          orientation: 'up',
          path: resolved.kind === 'package' ? resolved.real : resolved.wxPath,
        };
      },
      on,
    ),
    // No image codec is bundled: the copy keeps the original bytes (quality is recorded only).
    compressImage: asyncApi(
      'compressImage',
      (o) => {
        const { resolved, bytes } = readImage(o.src, 'src');
        const temp = paths.newTemp(path.extname(resolved.real));
        fs.writeFileSync(temp.real, bytes);
        ctx.record('compressImage', { src: o.src, quality: o.quality });
        return { tempFilePath: temp.wxPath };
      },
      on,
    ),
    saveImageToPhotosAlbum: saveToAlbum('saveImageToPhotosAlbum'),
    saveVideoToPhotosAlbum: saveToAlbum('saveVideoToPhotosAlbum'),
    previewImage: asyncApi(
      'previewImage',
      (o) => {
        if (!Array.isArray(o.urls)) throw new WxFailure(paramError('urls', 'Array', o.urls));
        ctx.record('previewImage', { urls: o.urls, current: o.current });
        return {};
      },
      on,
    ),
  };
}
