import { useQueryClient } from '@tanstack/react-query';
import { Tree, TreeSelect } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useCallback, useMemo, useState } from 'react';
import { common } from '../../i18n/common';
import { useMessages } from '../../i18n/i18n';
import { regionQuery, type RegionLevel, type RegionRef, useRootRegions } from './regions';

const LEVEL_KEY = { county: 'levelCounty', township: 'levelTownship', village: 'levelVillage' } as const;

interface RegionNode extends DataNode {
  key: string;
  title: string;
  level: RegionLevel;
  children?: RegionNode[];
}

const toNode = (region: RegionRef): RegionNode => ({
  key: region.code,
  title: region.name,
  level: region.level,
  isLeaf: region.level === 'village',
});

/** The tree as far as it has been opened: each opened region's children, under the roots. */
function grow(regions: RegionRef[], opened: Record<string, RegionRef[]>): RegionNode[] {
  return regions.map((region) => {
    const children = opened[region.code];
    return children ? { ...toNode(region), children: grow(children, opened) } : toNode(region);
  });
}

/**
 * The county → township → village tree within the user's scope, its children
 * fetched when a branch opens (a province holds ~18,000 villages).
 */
function useLazyRegionTree() {
  const roots = useRootRegions();
  const queries = useQueryClient();
  const [opened, setOpened] = useState<Record<string, RegionRef[]>>({});
  const load = useCallback(
    async (key: string) => {
      const region = await queries.fetchQuery(regionQuery(key));
      setOpened((current) => ({ ...current, [key]: region.children }));
    },
    [queries],
  );
  const nodes = useMemo(() => grow(roots.data ?? [], opened), [roots.data, opened]);
  return { nodes, load, loading: roots.isPending, error: roots.error };
}

/** Browse the tree and pick one region (the Regions page, the rundown). */
export function RegionTree({
  selected,
  onSelect,
}: {
  selected?: string;
  onSelect: (code: string, level: RegionLevel, name: string) => void;
}) {
  const { nodes, load } = useLazyRegionTree();
  return (
    <Tree<RegionNode>
      treeData={nodes}
      loadData={(node) => load(node.key)}
      selectedKeys={selected ? [selected] : []}
      onSelect={(_keys, { node }) => onSelect(node.key, node.level, node.title)}
      blockNode
    />
  );
}

/** Pick regions in a form field (an alert's targets, where a broadcast airs); several when `multiple`. */
export function RegionPicker({
  value,
  onChange,
  multiple = false,
  id,
  placeholder,
}: {
  value?: string | string[];
  onChange?: (value: string | string[]) => void;
  multiple?: boolean;
  id?: string;
  placeholder?: string;
}) {
  const t = useMessages(common);
  const { nodes, load } = useLazyRegionTree();
  const label = (node: RegionNode): RegionNode => ({
    ...node,
    title: `${node.title}（${t(LEVEL_KEY[node.level])}）`,
    children: node.children?.map(label),
  });
  return (
    <TreeSelect
      id={id}
      style={{ width: '100%' }}
      treeData={nodes.map(label)}
      loadData={(node) => load(String(node.key))}
      value={value}
      onChange={onChange}
      multiple={multiple}
      treeCheckable={multiple}
      treeCheckStrictly={false}
      showCheckedStrategy={TreeSelect.SHOW_PARENT}
      placeholder={placeholder}
      allowClear
      fieldNames={{ value: 'key', label: 'title' }}
    />
  );
}
