import { Col, Flex, List, Row, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { Link } from 'react-router';
import { $api } from '../../api/client';
import { EChart } from '../../components/echart';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { PageLoading } from '../../components/page-loading';
import { SectionCard } from '../../components/section-card';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { MAP_STATES, type MapPoint, mapPoints, pointsByState, STATE_POLL_MS, stateLook, unplaced } from './map-states';
import { messages } from './messages';

// Leaflet comes only with a tile layer configured: without one (the default) its code is never fetched.
const TileMap = lazy(() => import('./TileMap'));

const PLOT_HEIGHT = 420;

/** Axes a little wider than the points, so none sits on the plot's edge (or a lone one in its corner). */
const MARGIN_DEGREES = 0.005;
const padded = {
  min: ({ min, max }: { min: number; max: number }) => +(min - Math.max((max - min) * 0.1, MARGIN_DEGREES)).toFixed(3),
  max: ({ min, max }: { min: number; max: number }) => +(max + Math.max((max - min) * 0.1, MARGIN_DEGREES)).toFixed(3),
};

/** The points on a plain longitude/latitude plot, one series (colour and shape, as the legend tags show them) per state. */
function PlainPlot({ points, summary }: { points: MapPoint[]; summary: string }) {
  const t = useMessages(messages);
  const option = useMemo(() => {
    const groups = pointsByState(points);
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: ({ value }: { value: [number, number, string] }) => value[2] },
      grid: { left: 8, right: 24, top: 32, bottom: 32, containLabel: true },
      xAxis: {
        type: 'value',
        ...padded,
        splitNumber: 3,
        axisLabel: { hideOverlap: true },
        name: t('longitude'),
        nameLocation: 'middle',
        nameGap: 28,
      },
      yAxis: { type: 'value', ...padded, name: t('latitude') },
      series: MAP_STATES.map((look) => ({
        type: 'scatter',
        name: t(look.label),
        symbol: look.symbol,
        symbolSize: 14,
        itemStyle: { color: look.color },
        data: groups.get(look.state),
      })),
    };
  }, [points, t]);
  return <EChart option={option} summary={summary} height={PLOT_HEIGHT} />;
}

/** The map of a region's loudspeakers by state, and beside it the ones with no position (未定位). */
export function MapView({ region }: { region: { code: string; name: string } }) {
  const t = useMessages(messages);
  const map = $api.useQuery(
    'get',
    '/api/v1/endpoints/map',
    { params: { query: { region: region.code } } },
    { refetchInterval: STATE_POLL_MS },
  );
  const columns = map.data?.points;
  const points = useMemo(() => (columns ? mapPoints(columns) : []), [columns]);
  if (map.error) return <FailureAlert error={map.error} />;
  if (!map.data) return <PageLoading />;
  const { counts, tiles, places } = map.data;
  const missing = unplaced(points);
  const legend = MAP_STATES.map((look) => t('legendCount', { state: t(look.label), n: counts[look.state] ?? 0 }));
  const summary = t('mapSummary', { region: region.name, counts: legend.join('，'), unplaced: missing.length });

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <SectionCard title={t('tabMap')}>
          <Flex vertical gap={8}>
            <Flex wrap gap={4} role="list" aria-label={t('tabMap')}>
              {MAP_STATES.map((look, index) => (
                <span role="listitem" key={look.state}>
                  <StatusTag tone={look.tone}>
                    <span aria-hidden>{look.glyph} </span>
                    {legend[index]}
                  </StatusTag>
                </span>
              ))}
            </Flex>
            {tiles ? (
              <Suspense fallback={<PageLoading />}>
                <TileMap tiles={tiles} points={points} summary={summary} />
              </Suspense>
            ) : (
              <>
                <Muted>{t('plotHint')}</Muted>
                <PlainPlot points={points} summary={summary} />
              </>
            )}
          </Flex>
        </SectionCard>
      </Col>
      <Col xs={24} xl={8}>
        <SectionCard title={`${t('unplaced')} (${missing.length})`}>
          {missing.length > 0 && <Typography.Paragraph>{t('unplacedHint')}</Typography.Paragraph>}
          <List<MapPoint>
            dataSource={missing}
            locale={{ emptyText: points.length ? t('allPlaced') : t('noEndpoints') }}
            renderItem={(point) => (
              <List.Item key={point.id}>
                <Flex wrap gap={4} align="center">
                  <Link to={`/loudspeakers/${point.id}`}>{point.name}</Link>
                  <StatusTag tone={stateLook(point.state).tone}>{t(stateLook(point.state).label)}</StatusTag>
                  <Muted>{places[point.regionCode] ?? point.regionCode}</Muted>
                </Flex>
              </List.Item>
            )}
          />
        </SectionCard>
      </Col>
    </Row>
  );
}
