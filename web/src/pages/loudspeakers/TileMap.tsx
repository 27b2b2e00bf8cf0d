import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { EndpointMap, MapPoint } from './map-states';
import { isPlaced, stateLook } from './map-states';
import { useMessages } from '../../i18n/i18n';
import { messages } from './messages';

const MAP_HEIGHT = 420;
// Fitting one loudspeaker (or a few close together) must not zoom in past the street.
const CLOSEST_ZOOM = 15;

/**
 * A slippy map on the county's own tile layer (天地图 or another, MAP_TILE_URL),
 * each loudspeaker a marker in its state's shape and colour, its name and state
 * on hover or tap. `summary` says to a screen reader what the markers show.
 */
export default function TileMap({
  tiles,
  points,
  summary,
}: {
  tiles: NonNullable<EndpointMap['tiles']>;
  points: MapPoint[];
  summary: string;
}) {
  const t = useMessages(messages);
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const markers = useRef<L.LayerGroup | null>(null);

  useEffect(() => {
    const instance = L.map(container.current!, { attributionControl: true });
    L.tileLayer(tiles.url, {
      subdomains: tiles.subdomains,
      attribution: tiles.attribution,
      // The console sends no referrer anywhere; a tile server may check the site its key is for, so it gets the origin.
      referrerPolicy: 'origin',
    }).addTo(instance);
    map.current = instance;
    markers.current = L.layerGroup().addTo(instance);
    return () => {
      instance.remove();
      map.current = null;
    };
  }, [tiles]);

  useEffect(() => {
    const layer = markers.current!;
    layer.clearLayers();
    const placed = points.filter(isPlaced);
    for (const point of placed) {
      const look = stateLook(point.state);
      // The state's shape in its colour, as the legend tags show it: a map read without colour still reads.
      const icon = L.divIcon({
        className: 'loudspeaker-marker',
        html: `<span style="color:${look.color};font-size:28px;line-height:28px;text-shadow:0 0 2px #fff,0 0 2px #fff">${look.glyph}</span>`,
        iconSize: [28, 28],
      });
      // A text node: a loudspeaker's name is typed by people, never markup.
      const label = document.createElement('span');
      label.textContent = `${point.name} · ${t(look.label)}`;
      L.marker([point.latitude!, point.longitude!], { icon, title: label.textContent, alt: label.textContent })
        .bindTooltip(label)
        .addTo(layer);
    }
    if (placed.length)
      map.current!.fitBounds(L.latLngBounds(placed.map((p) => [p.latitude!, p.longitude!])), { maxZoom: CLOSEST_ZOOM });
    else map.current!.setView([35, 105], 4);
  }, [points, t]);

  // A group, not an image: Leaflet's zoom buttons and the keyboard-pannable map are controls inside it.
  return (
    <div role="group" aria-label={summary}>
      <div ref={container} style={{ width: '100%', height: MAP_HEIGHT }} />
    </div>
  );
}
