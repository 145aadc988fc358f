/**
 * The coding of a `content-encoding` header as fetch decodes it: `zlib` for gzip and deflate (zlib's
 * `unzip` takes both, the latter with its zlib header), `br` for Brotli; undefined for none or any
 * other coding (the body is then given as it came). One answer for the buffered and the streamed
 * fetch, which decode the same codings.
 */
export function contentCoding(encoding: string | null): 'zlib' | 'br' | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
    case 'deflate':
      return 'zlib';
    case 'br':
      return 'br';
    default:
      return undefined;
  }
}
