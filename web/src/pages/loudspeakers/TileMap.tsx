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
 * each loudspeaker a marker in its state's colour, its name and state on hover
 * or tap. Like the plot, it is an image to a screen reader: `summary` says it.
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
    L.tileLayer(tiles.url, { subdomains: tiles.subdomains, attribution: tiles.attribution }).addTo(instance);
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
      L.circleMarker([point.latitude!, point.longitude!], {
        radius: 7,
        color: '#fff',
        weight: 1,
        fillColor: look.color,
        fillOpacity: 1,
      })
        .bindTooltip(`${point.name} · ${t(look.label)}`)
        .addTo(layer);
    }
    if (placed.length)
      map.current!.fitBounds(L.latLngBounds(placed.map((p) => [p.latitude!, p.longitude!])), { maxZoom: CLOSEST_ZOOM });
    else map.current!.setView([35, 105], 4);
  }, [points, t]);

  return <div ref={container} role="img" aria-label={summary} style={{ width: '100%', height: MAP_HEIGHT }} />;
}
