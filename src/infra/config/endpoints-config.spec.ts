import { ConfigError, loadConfig } from './config';
import { tileOrigins } from './endpoints-config';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/dalaba',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: '3f0c9a1d8b7e6f5a4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918f7e6d5c',
};
const TIANDITU =
  'https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec&TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k';

describe('loudspeaker settings', () => {
  it('notifies after 30 minutes offline and draws a plain plot unless tiles are named', () => {
    const config = loadConfig(valid);
    expect(config.endpoints.offlineNotifyMinutes).toBe(30);
    expect(config.endpoints.mapTiles).toBeNull();
    expect(tileOrigins(config.endpoints.mapTiles)).toEqual([]);
  });

  it('takes a tile template, and the console may load images from each of its servers', () => {
    const tiles = loadConfig({
      ...valid,
      MAP_TILE_URL: TIANDITU,
      MAP_TILE_SUBDOMAINS: '0123',
      MAP_TILE_ATTRIBUTION: '© 天地图',
    }).endpoints.mapTiles;
    expect(tiles).toEqual({ url: TIANDITU, subdomains: '0123', attribution: '© 天地图' });
    expect(tileOrigins(tiles)).toEqual([0, 1, 2, 3].map((n) => `https://t${n}.tianditu.gov.cn`));
    expect(
      tileOrigins({ url: 'http://tiles.county.lan:8080/{z}/{x}/{y}.png', subdomains: 'abc', attribution: '' }),
    ).toEqual(['http://tiles.county.lan:8080']);
  });

  it.each([
    [{ MAP_TILE_URL: 'https://tiles.example/{z}/{x}.png' }, 'MAP_TILE_URL must contain {z}, {x} and {y}'],
    [{ MAP_TILE_URL: 'ftp://tiles.example/{z}/{x}/{y}.png' }, 'MAP_TILE_URL must be a URL'],
    [{ MAP_TILE_SUBDOMAINS: 'a b' }, 'MAP_TILE_SUBDOMAINS'],
    [{ ENDPOINT_OFFLINE_NOTIFY_MINUTES: '0' }, 'ENDPOINT_OFFLINE_NOTIFY_MINUTES'],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig({ ...valid, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...valid, ...env })).toThrow(message);
  });
});
