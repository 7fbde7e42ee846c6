/** The archive formats a template may be uploaded in, with the file extension the loader expects. */
export const ARCHIVE_EXTENSIONS = { zip: '.zip', 'tar.gz': '.tar.gz', tar: '.tar' } as const;
/** An archive format. */
export type ArchiveFormat = keyof typeof ARCHIVE_EXTENSIONS;

/** Content types accepted as a raw template archive body. */
export const ARCHIVE_CONTENT_TYPES = [
  'application/zip',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/octet-stream',
];

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const TAR_MAGIC = Buffer.from('ustar');
const TAR_MAGIC_OFFSET = 257;

/** Recognises an archive by its first bytes (the content type of an upload is only a claim). */
export function detectArchiveFormat(bytes: Buffer): ArchiveFormat | undefined {
  if (bytes.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) {
    return 'zip';
  }
  if (bytes.subarray(0, GZIP_MAGIC.length).equals(GZIP_MAGIC)) {
    return 'tar.gz';
  }
  const tarMagic = bytes.subarray(TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + TAR_MAGIC.length);
  return tarMagic.equals(TAR_MAGIC) ? 'tar' : undefined;
}

/** The largest template archive accepted, as a body or a multipart file. */
export const MAX_TEMPLATE_ARCHIVE_BYTES = 64 * 1024 * 1024;
