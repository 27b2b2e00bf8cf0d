import type { MediaStorageConfig, S3Settings } from './media-config';
import { mediaOrigins } from './media-config';

const s3 = (settings: Partial<S3Settings>, delivery: 'redirect' | 'stream' = 'redirect'): MediaStorageConfig => ({
  kind: 's3',
  delivery,
  signedUrlSeconds: 300,
  s3: { region: 'cn-north-1', bucket: 'media', forcePathStyle: false, prefix: '', ...settings },
});

describe('the origins /media redirects a browser to', () => {
  it('are none when the bytes come from this origin', () => {
    expect(mediaOrigins({ kind: 'local', delivery: 'stream' })).toEqual([]);
    expect(mediaOrigins(s3({ endpoint: 'http://minio:9000' }, 'stream'))).toEqual([]);
  });

  it('name the bucket host as signed URLs do: virtual-host or path style, the public endpoint first, AWS by region', () => {
    expect(mediaOrigins(s3({ endpoint: 'https://oss-cn-guiyang.aliyuncs.com' }))).toEqual([
      'https://media.oss-cn-guiyang.aliyuncs.com',
    ]);
    expect(mediaOrigins(s3({ endpoint: 'http://minio:9000', forcePathStyle: true }))).toEqual(['http://minio:9000']);
    expect(
      mediaOrigins(
        s3({ endpoint: 'http://minio:9000', publicEndpoint: 'https://files.example.cn/', forcePathStyle: true }),
      ),
    ).toEqual(['https://files.example.cn']);
    expect(mediaOrigins(s3({}))).toEqual(['https://media.s3.cn-north-1.amazonaws.com']);
  });
});
